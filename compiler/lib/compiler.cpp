// SPDX-License-Identifier: Apache-2.0
// The pipeline, stage by stage (lowering.hpp lists the passes).
#include <tessera/compiler.hpp>

#include <mutex>
#include <optional>

#include <llvm/Config/llvm-config.h>
#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/DiagnosticPrinter.h>
#include <llvm/IR/DebugInfo.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/CrashRecoveryContext.h>
#include <llvm/Support/ErrorHandling.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <tessera/hw/t1_codeobj.h>

#include "cache.hpp"
#include "codegen.hpp"
#include "diagnostics.hpp"
#include "frontend.hpp"
#include "linker.hpp"
#include "lowering.hpp"
#include "note_writer.hpp"
#include "stack_sizes.hpp"

namespace tessera::compiler {

namespace {

thread_local std::string t_fatal_reason;

// LLVM's fatal errors (report_fatal_error) would end the process: inside a
// compile they unwind to the crash-recovery context around the stage
// instead, which reports a failed compile.
void install_error_handling() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::CrashRecoveryContext::Enable();
    llvm::install_fatal_error_handler([](void*, const char* reason, bool) {
      t_fatal_reason = reason ? reason : "unknown";
      if (llvm::CrashRecoveryContext* crc = llvm::CrashRecoveryContext::GetCurrent()) crc->HandleExit(1);
    });
  });
}

// Back-end diagnostics (e.g. from inline assembly) go to the log.
struct ContextDiagnostics {
  std::string* log;
  unsigned errors = 0;
};

void on_diagnostic(const llvm::DiagnosticInfo& di, void* p) {
  auto* cd = static_cast<ContextDiagnostics*>(p);
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::DiagnosticPrinterRawOStream printer(os);
  di.print(printer);
  const char* kind = "note";
  switch (di.getSeverity()) {
    case llvm::DS_Error: kind = "error"; ++cd->errors; break;
    case llvm::DS_Warning: kind = "warning"; break;
    case llvm::DS_Remark: return;
    case llvm::DS_Note: break;
  }
  *cd->log += std::string(kind) + ": " + os.str() + "\n";
}

std::string module_text(const llvm::Module& m) {
  std::string s;
  llvm::raw_string_ostream os(s);
  m.print(os, nullptr);
  return s;
}

// Whether any function reachable from `entry` computes in double precision.
bool uses_fp64(llvm::Function& entry) {
  for (llvm::Function* f : reachable_functions(entry))
    for (llvm::BasicBlock& bb : *f)
      for (llvm::Instruction& i : bb) {
        if (i.getType()->isDoubleTy()) return true;
        for (llvm::Value* op : i.operands())
          if (op->getType()->isDoubleTy()) return true;
      }
  return false;
}

}  // namespace

struct Compiler::Impl {
  std::optional<DiskCache> cache;
};

Compiler::Compiler(const CacheConfig& cache) : impl_(std::make_unique<Impl>()) {
  install_error_handling();
  if (cache.enabled) impl_->cache.emplace(cache.directory);
}
Compiler::~Compiler() = default;

std::string version_string() {
  return std::string("tessc ") + TESSERA_VERSION + " (LLVM " + LLVM_VERSION_STRING + ", code object " +
         std::to_string(T1_CODEOBJ_VERSION_MAJOR) + "." + std::to_string(T1_CODEOBJ_VERSION_MINOR) + ")";
}

Result Compiler::compile(const Source& source, const Options& options, Output output, const StopAfter& stop) {
  const bool cacheable = impl_->cache && output == Output::CodeObject && stop.stage.empty() &&
                         options.dependency_file.empty();
  std::string key;
  if (cacheable) {
    key = impl_->cache->key(source, options);
    if (std::optional<Result> hit = impl_->cache->lookup(key)) return std::move(*hit);
  }
  std::vector<std::string> files_read;
  Result r = compile_uncached(source, options, output, stop, files_read);
  if (cacheable && r.ok) impl_->cache->store(key, r, files_read);
  return r;
}

Result Compiler::compile_uncached(const Source& source, const Options& options, Output output,
                                  const StopAfter& stop, std::vector<std::string>& files_read) {
  Result r;
  if (options.opt_level < 0 || options.opt_level > 3) {
    r.log = "error: optimization level must be 0, 1, 2 or 3\n";
    return r;
  }
  llvm::LLVMContext ctx;
  ContextDiagnostics cd{&r.log};
  ctx.setDiagnosticHandlerCallBack(on_diagnostic, &cd);

  FrontendResult fe = run_frontend(source, options, ctx, r.log);
  files_read = fe.files_read;
  if (!fe.module) return r;
  llvm::Module& m = *fe.module;
  auto stop_here = [&](const char* stage) {
    if (stop.stage != stage) return false;
    r.text = module_text(m);
    r.ok = true;
    return true;
  };
  if (stop_here("frontend")) return r;

  std::string error;
  std::unique_ptr<llvm::TargetMachine> tm = create_target_machine(options.opt_level, error);
  if (!tm) {
    r.log += "error: no RISC-V target in this LLVM: " + error + "\n";
    return r;
  }
  Diagnostics diag(r.log);
  LoweringState st;
  if (!retarget(m, tm->createDataLayout(), st, diag) || stop_here("retarget")) return r;
  if (!lower_nvvm(m, diag) || stop_here("lower-nvvm")) return r;
  if (!lower_shared(m, st, diag) || stop_here("lower-shared")) return r;
  if (!lower_kernel_abi(m, st, diag) || stop_here("kernel-abi")) return r;
  // Line tables were only for the passes' messages unless -g asked for them.
  if (!options.debug_info) llvm::StripDebugInfo(m);
  {
    std::string problems;
    llvm::raw_string_ostream os(problems);
    if (llvm::verifyModule(m, &os)) {
      r.log += "error: internal compiler error: the lowered module is invalid:\n" + os.str();
      return r;
    }
  }
  optimize(m, *tm, options.opt_level);
  if (stop_here("optimize")) return r;
  lower_addrspace_casts(m);

  if (output == Output::LLVMIR) {
    r.text = module_text(m);
    r.ok = true;
    return r;
  }
  auto backend_failed = [&] {
    r.log += "error: " + error + (t_fatal_reason.empty() ? "" : ": " + t_fatal_reason) + "\n";
    t_fatal_reason.clear();
    return r;
  };
  if (output == Output::Assembly) {
    if (!emit_assembly(m, *tm, r.text, error) || cd.errors) return backend_failed();
    r.ok = true;
    return r;
  }
  std::vector<uint8_t> object;
  if (!emit_object(m, *tm, object, error) || cd.errors) return backend_failed();

  const auto frames = read_frame_sizes(object);
  for (const KernelRecord& k : st.kernels) {
    llvm::Function* f = m.getFunction(k.name);
    if (!f) continue;
    KernelInfo ki;
    ki.name = k.name;
    ki.demangled = demangle(k.name);
    ki.flags = k.flags;
    ki.kernarg_size = k.kernarg_size;
    ki.kernarg_align = k.kernarg_align;
    ki.static_shared_bytes = k.static_shared_bytes;
    ki.max_block_threads = k.max_block_threads;
    ki.args = k.args;
    ki.stack_bytes = kernel_stack_bytes(*f, frames, ki.flags);
    if (uses_fp64(*f)) ki.flags |= T1_KERNEL_FLAG_USES_FP64;
    r.kernels.push_back(std::move(ki));
  }

  std::unique_ptr<llvm::Module> nm = note_module(build_note(r.kernels), ctx);
  nm->setDataLayout(tm->createDataLayout());
  std::vector<uint8_t> note_object;
  if (!emit_object(*nm, *tm, note_object, error)) return backend_failed();
  if (!link_code_object({object, note_object}, r.code_object, r.log)) return r;
  r.ok = true;
  return r;
}

}  // namespace tessera::compiler
