// SPDX-License-Identifier: Apache-2.0
#include "codegen.hpp"

#include <mutex>

#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/CrashRecoveryContext.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>

namespace tessera::compiler {

namespace {

void initialize_riscv() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeRISCVTargetInfo();
    LLVMInitializeRISCVTarget();
    LLVMInitializeRISCVTargetMC();
    LLVMInitializeRISCVAsmPrinter();
    LLVMInitializeRISCVAsmParser();  // inline assembly (.insn for Xtessera)
  });
}

llvm::CodeGenOpt::Level codegen_level(int opt_level) {
  switch (opt_level) {
    case 0: return llvm::CodeGenOpt::None;
    case 1: return llvm::CodeGenOpt::Less;
    case 3: return llvm::CodeGenOpt::Aggressive;
    default: return llvm::CodeGenOpt::Default;
  }
}

bool emit(llvm::Module& m, llvm::TargetMachine& tm, llvm::CodeGenFileType type,
          llvm::raw_pwrite_stream& os, std::string& error) {
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, type)) {
    error = "the T1 back end cannot emit this file type";
    return false;
  }
  // A back-end failure (LLVM ERROR) must not end the process: run it where
  // a crash can be recovered from (the fatal-error handler installed by
  // Compiler turns report_fatal_error into a recoverable crash).
  llvm::CrashRecoveryContext crc;
  if (!crc.RunSafely([&] { pm.run(m); })) {
    error = "the T1 back end failed on this module";
    return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<llvm::TargetMachine> create_target_machine(int opt_level, std::string& error) {
  initialize_riscv();
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(kTargetTriple, error);
  if (!target) return nullptr;
  llvm::TargetOptions to;
  to.MCOptions.ABIName = kTargetAbi;
  // Per-function frame sizes, from which kernels' stack sizes are computed.
  to.EmitStackSizeSection = true;
  to.FunctionSections = true;  // lets the linker drop what no kernel reaches
  to.DataSections = true;
  // Position-independent, medany: code objects load at any device address.
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      kTargetTriple, kTargetCpu, kTargetFeatures, to, llvm::Reloc::PIC_, llvm::CodeModel::Medium,
      codegen_level(opt_level)));
}

void optimize(llvm::Module& m, llvm::TargetMachine& tm, int opt_level) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm;
  switch (opt_level) {
    case 0: mpm = pb.buildO0DefaultPipeline(llvm::OptimizationLevel::O0); break;
    case 1: mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O1); break;
    case 3: mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3); break;
    default: mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2); break;
  }
  mpm.run(m, mam);
}

bool emit_object(llvm::Module& m, llvm::TargetMachine& tm, std::vector<uint8_t>& object, std::string& error) {
  llvm::SmallVector<char, 0> buf;
  llvm::raw_svector_ostream os(buf);
  if (!emit(m, tm, llvm::CGFT_ObjectFile, os, error)) return false;
  object.assign(buf.begin(), buf.end());
  return true;
}

bool emit_assembly(llvm::Module& m, llvm::TargetMachine& tm, std::string& text, std::string& error) {
  llvm::SmallVector<char, 0> buf;
  llvm::raw_svector_ostream os(buf);
  if (!emit(m, tm, llvm::CGFT_AssemblyFile, os, error)) return false;
  text.assign(buf.begin(), buf.end());
  return true;
}

}  // namespace tessera::compiler
