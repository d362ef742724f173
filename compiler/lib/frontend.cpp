// SPDX-License-Identifier: Apache-2.0
// The front end runs exactly what `clang++-16 -x cuda --cuda-device-only`
// would, but in this process: the Clang driver turns the options into cc1
// arguments, and a CompilerInstance over a file system that overlays the
// in-memory source and headers on the real one produces the module.
#include "frontend.hpp"

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/DiagnosticOptions.h>
#include <clang/CodeGen/CodeGenAction.h>
#include <clang/Driver/Compilation.h>
#include <clang/Driver/Driver.h>
#include <clang/Driver/Job.h>
#include <clang/Driver/Tool.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/CompilerInvocation.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Frontend/Utils.h>
#include <clang/Driver/Options.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Host.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/VirtualFileSystem.h>

namespace tessera::compiler {

namespace {

// Where headers given in memory appear; searched before anything else.
constexpr const char* kMemoryIncludeDir = "/tessera-memory-headers";

std::string absolute_path(const std::string& name, const std::string& cwd) {
  if (llvm::sys::path::is_absolute(name)) return name;
  llvm::SmallString<256> p(cwd);
  llvm::sys::path::append(p, name);
  llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
  return std::string(p);
}

std::vector<std::string> driver_arguments(const Source& source, const Options& o) {
  std::vector<std::string> a = {
      TESSERA_CLANG_PATH, "-x", "cuda", "--cuda-device-only", "-nocudainc", "-nocudalib",
      "--cuda-gpu-arch=sm_70",
      // The same front end on every machine: Clang would otherwise derive
      // the PTX version (which gates the *_sync warp builtins) from whatever
      // CUDA installation it happens to find, and fall back to PTX 4.2.
      "--cuda-path=/nonexistent/tessera-no-cuda", "--cuda-feature=+ptx78",
      // The front end only emits IR; Tessera optimizes after retargeting,
      // with the RISC-V cost model (compiler-notes.md).
      "-O" + std::to_string(o.opt_level), "-Xclang", "-disable-llvm-passes",
      "-std=" + o.language_standard,
      // Line tables, always (see run_frontend). The CUDA driver would reduce
      // them to the "directives only" form ptxas wants and DWARF 2; these
      // cc1 options come last and win.
      "-gline-tables-only", "-Xclang", "-debug-info-kind=line-tables-only", "-Xclang", "-dwarf-version=4",
      "-S", "-emit-llvm", "-o", "/dev/null"};
  a.push_back("-I" + std::string(kMemoryIncludeDir));
  for (const auto& d : o.include_dirs) a.push_back("-I" + d);
  a.insert(a.end(), {"-isystem", TESSERA_DEVICE_INCLUDE_DIR, "-include", "tessera_device.h"});
  for (const auto& d : o.defines) a.push_back("-D" + d);
  for (const auto& u : o.undefines) a.push_back("-U" + u);
  for (const auto& w : o.warning_flags) a.push_back(w);
  if (!o.dependency_file.empty()) {
    a.insert(a.end(), {"-MD", "-MF", o.dependency_file});
    if (!o.dependency_target.empty()) a.insert(a.end(), {"-MT", o.dependency_target});
  }
  a.push_back(source.name);
  return a;
}

// Every file read, system headers included (the device headers and the C
// library's are system headers here, and a cache must notice their changes).
class AllDependencies : public clang::DependencyCollector {
 public:
  bool needSystemDependencies() override { return true; }
};

}  // namespace

FrontendResult run_frontend(const Source& source, const Options& options, llvm::LLVMContext& ctx,
                            std::string& log) {
  FrontendResult out;
  llvm::raw_string_ostream diag_os(log);

  const std::vector<std::string> args = driver_arguments(source, options);
  std::vector<const char*> argv;
  for (const auto& s : args) argv.push_back(s.c_str());

  // -W options apply to the driver's own diagnostics too.
  std::unique_ptr<clang::DiagnosticOptions> parsed = clang::CreateAndPopulateDiagOpts(argv);
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> diag_opts(parsed.release());
  diag_opts->ShowColors = false;
  llvm::IntrusiveRefCntPtr<clang::DiagnosticIDs> ids(new clang::DiagnosticIDs());
  clang::DiagnosticsEngine driver_diags(ids, diag_opts,
                                        new clang::TextDiagnosticPrinter(diag_os, diag_opts.get()));
  clang::ProcessWarningOptions(driver_diags, *diag_opts, /*ReportDiags=*/false);

  // The source and in-memory headers over the real file system.
  auto real = llvm::vfs::getRealFileSystem();
  std::string cwd = "/";
  if (auto c = real->getCurrentWorkingDirectory()) cwd = *c;
  auto memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  memory->setCurrentWorkingDirectory(cwd);
  memory->addFile(absolute_path(source.name, cwd), 0,
                  llvm::MemoryBuffer::getMemBufferCopy(source.contents, source.name));
  for (const auto& h : source.headers)
    memory->addFile(std::string(kMemoryIncludeDir) + "/" + h.name, 0,
                    llvm::MemoryBuffer::getMemBufferCopy(h.contents, h.name));
  auto fs = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(real);
  fs->pushOverlay(memory);
  fs->setCurrentWorkingDirectory(cwd);

  clang::driver::Driver driver(TESSERA_CLANG_PATH, llvm::sys::getDefaultTargetTriple(), driver_diags,
                               "tessc", fs);
  driver.setCheckInputsExist(false);
  std::unique_ptr<clang::driver::Compilation> compilation(driver.BuildCompilation(argv));
  if (!compilation || driver_diags.hasErrorOccurred()) return out;

  const llvm::opt::ArgStringList* cc1 = nullptr;
  for (const clang::driver::Command& job : compilation->getJobs())
    if (llvm::StringRef(job.getCreator().getName()) == "clang") cc1 = &job.getArguments();
  if (!cc1) {
    log += "error: internal: the Clang driver produced no compile job\n";
    return out;
  }

  auto invocation = std::make_shared<clang::CompilerInvocation>();
  if (!clang::CompilerInvocation::CreateFromArgs(*invocation, *cc1, driver_diags, argv[0])) return out;
  // The driver asks cc1 to leak its state at exit (a short-lived process);
  // a long-lived library must free it.
  invocation->getFrontendOpts().DisableFree = false;
  invocation->getCodeGenOpts().DisableFree = false;

  clang::CompilerInstance ci;
  ci.setInvocation(invocation);
  ci.createDiagnostics(new clang::TextDiagnosticPrinter(diag_os, &ci.getDiagnosticOpts()),
                       /*ShouldOwnClient=*/true);
  ci.setVerboseOutputStream(diag_os);
  ci.createFileManager(fs);
  auto deps = std::make_shared<AllDependencies>();
  ci.addDependencyCollector(deps);

  clang::EmitLLVMOnlyAction action(&ctx);
  const bool ok = ci.ExecuteAction(action);
  for (const auto& f : deps->getDependencies()) out.files_read.push_back(f);
  if (ok && !ci.getDiagnostics().hasErrorOccurred()) out.module = action.takeModule();
  return out;
}

}  // namespace tessera::compiler
