// SPDX-License-Identifier: Apache-2.0
// lld 16 as a library: `lld::elf::link` with process-global state, so links
// are serialized and the state is reset after each. Inputs are handed over
// as memfds (/proc/self/fd/N); the output has to be a real file.
#include "linker.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>

#include <lld/Common/CommonLinkerContext.h>
#include <lld/Common/Driver.h>
#include <llvm/Support/CrashRecoveryContext.h>
#include <llvm/Support/raw_ostream.h>

namespace tessera::compiler {

namespace {

std::mutex g_lld_mutex;

// A file descriptor closed on scope exit.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

bool write_all(int fd, const uint8_t* p, size_t n) {
  while (n) {
    const ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

bool link_code_object(const std::vector<std::vector<uint8_t>>& objects, std::vector<uint8_t>& out,
                      std::string& log) {
  std::vector<Fd> inputs(objects.size());
  std::vector<std::string> args = {"ld.lld", "-shared", "-Bsymbolic", "--gc-sections", "--no-undefined",
                                   "-z", "max-page-size=4096", "-z", "noexecstack", "--exclude-libs=ALL",
                                   "--build-id=none", "--no-rosegment"};
  for (size_t i = 0; i < objects.size(); ++i) {
    inputs[i].fd = memfd_create("tessera-kernel.o", MFD_CLOEXEC);
    if (inputs[i].fd < 0 || !write_all(inputs[i].fd, objects[i].data(), objects[i].size())) {
      log += std::string("error: cannot stage an object for the linker: ") + std::strerror(errno) + "\n";
      return false;
    }
    args.push_back("/proc/self/fd/" + std::to_string(inputs[i].fd));
  }
  args.insert(args.end(), {"--start-group", TESSERA_DEVICE_LIB, TESSERA_PICOLIBC_DIR "/libm.a",
                           TESSERA_PICOLIBC_DIR "/libc.a", TESSERA_LIBGCC, "--end-group"});

  const char* tmpdir = std::getenv("TMPDIR");
  std::string path = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/tessera-link-XXXXXX";
  Fd output;
  output.fd = mkstemp(path.data());
  if (output.fd < 0) {
    log += "error: cannot create a temporary file for the linker in " + path + ": " + std::strerror(errno) + "\n";
    return false;
  }
  args.insert(args.end(), {"-o", path});

  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::string messages;
  bool ok = false;
  {
    std::lock_guard lock(g_lld_mutex);
    llvm::raw_string_ostream os(messages);
    llvm::CrashRecoveryContext crc;
    const bool ran = crc.RunSafely([&] { ok = lld::elf::link(argv, os, os, false, false); });
    lld::CommonLinkerContext::destroy();
    if (!ran) ok = false;
  }
  if (ok) {
    std::ifstream f(path, std::ios::binary);
    out.assign(std::istreambuf_iterator<char>(f), {});
    ok = !out.empty();
  }
  unlink(path.c_str());
  // lld names inputs by path: say "kernel object" instead of /proc/self/fd/N.
  for (size_t pos; (pos = messages.find("/proc/self/fd/")) != std::string::npos;) {
    size_t end = pos + 14;
    while (end < messages.size() && std::isdigit(static_cast<unsigned char>(messages[end]))) ++end;
    messages.replace(pos, end - pos, "<kernel object>");
  }
  log += messages;
  if (!ok && messages.empty()) log += "error: linking the code object failed\n";
  return ok;
}

}  // namespace tessera::compiler
