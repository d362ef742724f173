// SPDX-License-Identifier: Apache-2.0
// tessera-emu: command-line front end of the T1 emulator.
//
//   tessera-emu run [--trace] [--max-instructions N] PROG.elf [ARGS...]
//   tessera-emu info [--devices N]
//   tessera-emu serve --socket PATH [--devices N] [--memory SIZE] [device options]
//   tessera-emu --help | --version
//
// Exit status of `run`:
//   the program's own status (exit/exit_group, a0 & 0xff) when it exits;
//   when it faults, 128 + the number of the signal Linux would have sent,
//   after a one-line diagnosis on stderr:
//     132 (SIGILL)  illegal instruction      133 (SIGTRAP) ebreak
//     135 (SIGBUS)  misaligned access        139 (SIGSEGV) unmapped address
//     152 (SIGXCPU) --max-instructions limit    or permission violation
//     134 (SIGABRT) any other fault;
//   2 for a usage error, 126 when the file is not a loadable program, 127
//   when it cannot be opened.
#include <pthread.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "isa/decode.hpp"
#include "isa/disasm.hpp"
#include "run/flat_space.hpp"
#include "run/linux_host.hpp"
#include "run/loader.hpp"
#include "simt/engine.hpp"

#ifdef TESSERA_HAVE_DEVICE
#include <tessera/emu/device.hpp>

#include "serve/server.hpp"
#endif

namespace {

using namespace tessera::emu;

constexpr int kExitUsage = 2;
constexpr int kExitNotLoadable = 126;
constexpr int kExitNotFound = 127;

constexpr const char* kUsage =
    "usage: tessera-emu <command> [options]\n"
    "\n"
    "Emulator of the Tessera T1 accelerator.\n"
    "\n"
    "commands:\n"
    "  run [--trace] [--max-instructions N] PROG.elf [ARGS...]\n"
    "      Run a static RV64GC Linux-style program on one emulated thread.\n"
    "      Supported system calls: write (fd 1, 2), exit, exit_group.\n"
    "      --trace                  print every instruction to stderr:\n"
    "                               'pc: encoding  disassembly  [rd=value]'\n"
    "      --max-instructions N     stop with a fault after N instructions\n"
    "      Exit status: the program's; on a fault 128+signal (132 illegal\n"
    "      instruction, 133 ebreak, 135 misaligned, 139 bad address, 152\n"
    "      instruction limit, 134 other); 126 not loadable, 127 not found.\n"
    "  info [--devices N]\n"
    "      Print the emulated device configuration (from TESSERA_EMU_*\n"
    "      environment variables) and, with N > 1 devices, their links.\n"
    "  serve --socket PATH [--devices N] [--memory SIZE] [device options]\n"
    "      Serve N emulated T1 chips (one fabric, linked) to QEMU guests as\n"
    "      ivshmem-doorbell PCI devices on the UNIX socket PATH; in QEMU:\n"
    "        -chardev socket,path=PATH,id=t1\n"
    "        -device ivshmem-doorbell,chardev=t1,vectors=4\n"
    "      Each QEMU connection takes the lowest free chip; a disconnect\n"
    "      resets and scrubs it. Prints one line per device, then\n"
    "      'tessera-emu serve: ready'. SIGTERM or SIGINT stops cleanly\n"
    "      (exit 0, socket removed).\n"
    "      --socket PATH            the socket QEMU connects to (required)\n"
    "      --devices N              chips, 1..64 (default 1)\n"
    "      --memory SIZE            device memory per chip with a K/M/G/T\n"
    "                               suffix, a multiple of 2M (default 256M)\n"
    "      --tiles N, --threads-per-tile N, --queues N, --contexts N,\n"
    "      --host-threads N, --watchdog-ms N, --deterministic\n"
    "                               as the TESSERA_EMU_* variables (which\n"
    "                               also apply; options win)\n"
    "\n"
    "options:\n"
    "  -h, --help      show this help\n"
    "  --version       show the version\n";

[[noreturn]] void usage_error(const std::string& msg) {
  std::fprintf(stderr, "tessera-emu: %s\nTry 'tessera-emu --help'.\n", msg.c_str());
  std::exit(kExitUsage);
}

uint64_t parse_count(std::string_view opt, std::string_view text) {
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    usage_error("invalid value '" + std::string(text) + "' for " + std::string(opt) +
                " (expected a non-negative decimal integer)");
  return v;
}

// Option scanner for one subcommand: "--name value", "--name=value", flags.
// Options end at the first non-option argument or "--".
class Args {
 public:
  Args(int argc, char** argv, int first) : argv_(argv + first, argv + argc) {}
  bool done() const { return i_ >= argv_.size(); }
  // True when the next argument is an option (and not "--", which is eaten).
  bool at_option() {
    if (done()) return false;
    const std::string_view a = argv_[i_];
    if (a == "--") {
      ++i_;
      return false;
    }
    return a.size() > 1 && a[0] == '-';
  }
  // The option's name (before any '='), consuming it.
  std::string take_option() {
    std::string a = argv_[i_++];
    const size_t eq = a.find('=');
    if (eq != std::string::npos && a.rfind("--", 0) == 0) {
      inline_value_ = a.substr(eq + 1);
      has_inline_ = true;
      return a.substr(0, eq);
    }
    has_inline_ = false;
    return a;
  }
  std::string value(const std::string& opt) {
    if (has_inline_) {
      has_inline_ = false;
      return inline_value_;
    }
    if (done()) usage_error("option '" + opt + "' requires an argument");
    return argv_[i_++];
  }
  void no_value(const std::string& opt) {
    if (has_inline_) usage_error("option '" + opt + "' takes no argument");
  }
  std::vector<std::string> rest() { return {argv_.begin() + i_, argv_.end()}; }

 private:
  std::vector<std::string> argv_;
  size_t i_ = 0;
  std::string inline_value_;
  bool has_inline_ = false;
};

// ----------------------------------------------------------------------------
// run

// --trace output: buffered (a trace can be millions of lines) and flushed
// before the program writes anything, so both streams stay in order.
class Tracer {
 public:
  ~Tracer() { flush(); }
  void record(const TraceRecord& r) {
    const DecodedInsn d = r.len == 2 ? decode_compressed(static_cast<uint16_t>(r.raw))
                                     : decode(r.raw);
    char line[256];
    int n = r.len == 2 ? std::snprintf(line, sizeof line, "%016llx: %04x      ",
                                       static_cast<unsigned long long>(r.pc), r.raw & 0xffff)
                       : std::snprintf(line, sizeof line, "%016llx: %08x  ",
                                       static_cast<unsigned long long>(r.pc), r.raw);
    buf_.append(line, static_cast<size_t>(n));
    buf_ += disassemble(d, r.pc);
    if ((r.rd_kind == 1 && r.rd != 0) || r.rd_kind == 2) {
      n = std::snprintf(line, sizeof line, "  %s=0x%016llx",
                        r.rd_kind == 1 ? xreg_name(r.rd) : freg_name(r.rd),
                        static_cast<unsigned long long>(r.rd_value));
      buf_.append(line, static_cast<size_t>(n));
    }
    buf_ += '\n';
    if (buf_.size() > (1u << 20)) flush();
  }
  void flush() {
    size_t done = 0;
    while (done < buf_.size()) {
      const ssize_t n = ::write(2, buf_.data() + done, buf_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // stderr gone: drop the trace rather than spin
      done += static_cast<size_t>(n);
    }
    buf_.clear();
  }

 private:
  std::string buf_;
};


int fault_status(uint32_t cause) {
  switch (cause) {
    case T1_FAULT_UNMAPPED:
    case T1_FAULT_PERMISSION: return 128 + SIGSEGV;
    case T1_FAULT_MISALIGNED: return 128 + SIGBUS;
    case T1_FAULT_ILLEGAL_INSN: return 128 + SIGILL;
    case T1_FAULT_BREAKPOINT: return 128 + SIGTRAP;
    case T1_FAULT_WATCHDOG: return 128 + SIGXCPU;
    default: return 128 + SIGABRT;
  }
}

void report_fault(const std::string& prog, const FaultInfo& f, uint64_t limit) {
  // For bare programs the watchdog is the --max-instructions limit.
  std::string msg = "tessera-emu: " + prog + ": " +
                    (f.cause == T1_FAULT_WATCHDOG ? "instruction limit reached" : fault_cause_name(f.cause));
  char buf[160];
  if (f.cause == T1_FAULT_WATCHDOG) {
    std::snprintf(buf, sizeof buf, " (%llu instructions)", static_cast<unsigned long long>(limit));
    msg += buf;
  }
  if (const char* acc = access_kind_name(f.access);
      acc && (f.cause == T1_FAULT_UNMAPPED || f.cause == T1_FAULT_PERMISSION ||
              f.cause == T1_FAULT_MISALIGNED)) {
    std::snprintf(buf, sizeof buf, ": %s of address 0x%llx", acc,
                  static_cast<unsigned long long>(f.address));
    msg += buf;
  }
  // The engine may stop on the instruction limit between instructions,
  // without a pc to report.
  if (f.pc || f.cause != T1_FAULT_WATCHDOG) {
    std::snprintf(buf, sizeof buf, " at pc 0x%llx", static_cast<unsigned long long>(f.pc));
    msg += buf;
  }
  const bool fetch_failed = f.access == T1_ACCESS_EXEC && f.cause != T1_FAULT_ILLEGAL_INSN &&
                            f.cause != T1_FAULT_BREAKPOINT && f.cause != T1_FAULT_WATCHDOG;
  // raw_insn 0 means "not fetched", except for an illegal instruction,
  // where 0x0000 is the classic culprit (executing zeroed memory).
  if (!fetch_failed && (f.raw_insn || f.cause == T1_FAULT_ILLEGAL_INSN)) {
    const bool compressed = (f.raw_insn & 3) != 3;
    const DecodedInsn d = compressed ? decode_compressed(static_cast<uint16_t>(f.raw_insn))
                                     : decode(f.raw_insn);
    std::snprintf(buf, sizeof buf, compressed ? ": %04x  " : ": %08x  ", f.raw_insn);
    msg += buf;
    msg += disassemble(d, f.pc);
  }
  std::fprintf(stderr, "%s\n", msg.c_str());
}

int cmd_run(Args& args) {
  bool trace = false;
  uint64_t max_insns = 0;
  while (args.at_option()) {
    const std::string opt = args.take_option();
    if (opt == "--trace") {
      args.no_value(opt);
      trace = true;
    } else if (opt == "--max-instructions") {
      max_insns = parse_count(opt, args.value(opt));
      if (max_insns == 0) usage_error("--max-instructions must be at least 1");
    } else if (opt == "-h" || opt == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      usage_error("run: unknown option '" + opt + "'");
    }
  }
  const std::vector<std::string> argv = args.rest();
  if (argv.empty()) usage_error("run: missing program (tessera-emu run PROG.elf [ARGS...])");
  const std::string& path = argv[0];

  run::FlatAddressSpace mem;
  uint64_t sp = 0;
  run::LoadedProgram prog;
  try {
    prog = run::load_elf_file(path, mem);
    sp = run::setup_stack(mem, prog, argv);
  } catch (const run::LoadError& e) {
    std::fprintf(stderr, "tessera-emu: %s: %s\n", path.c_str(), e.what());
    return std::strncmp(e.what(), "cannot open", 11) == 0 ? kExitNotFound : kExitNotLoadable;
  }

  run::LinuxHost host(mem);
  Tracer tracer;
  std::function<void(const TraceRecord&)> trace_fn = [&](const TraceRecord& r) { tracer.record(r); };
  if (trace) host.set_before_output([&] { tracer.flush(); });
  const BareResult r =
      Engine::run_bare(mem, prog.entry, sp, host, trace ? &trace_fn : nullptr, max_insns);
  tracer.flush();
  if (r.fault.cause != T1_FAULT_NONE) {
    report_fault(path, r.fault, max_insns);
    return fault_status(r.fault.cause);
  }
  return r.exit_code;
}

// ----------------------------------------------------------------------------
// info

int cmd_info(Args& args) {
  uint64_t devices = 1;
  while (args.at_option()) {
    const std::string opt = args.take_option();
    if (opt == "--devices") {
      devices = parse_count(opt, args.value(opt));
      if (devices < 1 || devices > 64) usage_error("--devices must be between 1 and 64");
    } else if (opt == "-h" || opt == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      usage_error("info: unknown option '" + opt + "'");
    }
  }
  if (!args.done()) usage_error("info: unexpected argument '" + args.rest()[0] + "'");
#ifdef TESSERA_HAVE_DEVICE
  DeviceConfig c;
  try {
    c = DeviceConfig::from_env();
    c.validate();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tessera-emu: invalid configuration: %s\n", e.what());
    return 1;
  }
  const unsigned host_cpus = std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
  const uint32_t host_threads =
      c.deterministic ? 1 : (c.host_threads ? c.host_threads : std::min(host_cpus, c.tiles));
  std::printf("tessera-emu %s: %llu emulated T1 device%s\n", TESSERA_VERSION,
              static_cast<unsigned long long>(devices), devices == 1 ? "" : "s");
  std::printf("  tiles              %u\n", c.tiles);
  std::printf("  threads per tile   %u (%llu per device)\n", c.threads_per_tile,
              static_cast<unsigned long long>(uint64_t{c.tiles} * c.threads_per_tile));
  std::printf("  scratchpad         %u KiB per tile\n", c.scratchpad_bytes >> 10);
  std::printf("  memory             %llu MiB (lazily backed)\n",
              static_cast<unsigned long long>(c.memory_bytes >> 20));
  std::printf("  queues             %u\n", c.queues);
  std::printf("  contexts           %u\n", c.contexts);
  std::printf("  host threads       %u%s\n", host_threads, c.host_threads ? "" : " (auto)");
  std::printf("  deterministic      %s\n", c.deterministic ? "yes" : "no");
  std::printf("  interpreter        %s\n", interpreter_isa());
  std::printf("  watchdog           %s\n",
              c.watchdog_ms ? (std::to_string(c.watchdog_ms) + " ms").c_str() : "off");
  std::printf("  link bandwidth     %u MB/s per link\n", c.link_bandwidth_mbps);
  std::printf("  link latency       %u ns%s\n", c.link_latency_ns,
              c.model_link_time ? "" : " (accounted, not slept)");
  if (devices > 1) {
    try {
      Fabric fabric(std::vector<DeviceConfig>(devices, c));
      std::printf("  links (fully connected up to 8 chips, else a 6-link torus):\n");
      for (uint32_t d = 0; d < devices; ++d) {
        std::printf("    device %u:", d);
        const auto& peers = fabric.peers(d);
        for (size_t l = 0; l < peers.size(); ++l) std::printf(" link%zu->%u", l, peers[l]);
        std::printf("\n");
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "tessera-emu: cannot create %llu devices: %s\n",
                   static_cast<unsigned long long>(devices), e.what());
      return 1;
    }
  } else {
    std::printf("  links              none (single device)\n");
  }
  return 0;
#else
  std::fprintf(stderr, "tessera-emu: info: built without the device library\n");
  return 1;
#endif
}


// ----------------------------------------------------------------------------
// serve

#ifdef TESSERA_HAVE_DEVICE
uint64_t parse_size(std::string_view opt, std::string_view text) {
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  uint64_t mul = 1;
  std::string_view suffix(end, static_cast<size_t>(text.data() + text.size() - end));
  if (suffix.size() == 1) {
    switch (suffix[0]) {
      case 'k': case 'K': mul = uint64_t{1} << 10; break;
      case 'm': case 'M': mul = uint64_t{1} << 20; break;
      case 'g': case 'G': mul = uint64_t{1} << 30; break;
      case 't': case 'T': mul = uint64_t{1} << 40; break;
      default: mul = 0;
    }
  } else if (!suffix.empty()) {
    mul = 0;
  }
  if (text.empty() || ec != std::errc() || mul == 0 || v > UINT64_MAX / mul)
    usage_error("invalid value '" + std::string(text) + "' for " + std::string(opt) +
                " (expected a size such as 256M or 1G)");
  return v * mul;
}

uint32_t parse_u32(std::string_view opt, std::string_view text) {
  const uint64_t v = parse_count(opt, text);
  if (v > UINT32_MAX) usage_error(std::string(opt) + " is too large");
  return static_cast<uint32_t>(v);
}
#endif

int cmd_serve(Args& args) {
#ifdef TESSERA_HAVE_DEVICE
  serve::ServeOptions opt;
  DeviceConfig base;
  base.memory_bytes = uint64_t{256} << 20;
  try {
    opt.config = DeviceConfig::from_env(base);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tessera-emu: invalid configuration: %s\n", e.what());
    return 1;
  }
  DeviceConfig& c = opt.config;
  while (args.at_option()) {
    const std::string o = args.take_option();
    if (o == "--socket") {
      opt.socket_path = args.value(o);
    } else if (o == "--devices") {
      const uint64_t n = parse_count(o, args.value(o));
      if (n < 1 || n > 64) usage_error("--devices must be between 1 and 64");
      opt.devices = static_cast<uint32_t>(n);
    } else if (o == "--memory") {
      c.memory_bytes = parse_size(o, args.value(o));
    } else if (o == "--tiles") {
      c.tiles = parse_u32(o, args.value(o));
    } else if (o == "--threads-per-tile") {
      c.threads_per_tile = parse_u32(o, args.value(o));
    } else if (o == "--queues") {
      c.queues = parse_u32(o, args.value(o));
    } else if (o == "--contexts") {
      c.contexts = parse_u32(o, args.value(o));
    } else if (o == "--host-threads") {
      c.host_threads = parse_u32(o, args.value(o));
    } else if (o == "--watchdog-ms") {
      c.watchdog_ms = parse_u32(o, args.value(o));
    } else if (o == "--deterministic") {
      args.no_value(o);
      c.deterministic = true;
    } else if (o == "-h" || o == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      usage_error("serve: unknown option '" + o + "'");
    }
  }
  if (!args.done()) usage_error("serve: unexpected argument '" + args.rest()[0] + "'");
  if (opt.socket_path.empty()) usage_error("serve: missing --socket PATH");
  try {
    c.validate();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tessera-emu: serve: invalid configuration: %s\n", e.what());
    return 1;
  }

  // SIGTERM/SIGINT arrive through a signalfd the server polls. Blocked
  // before any thread starts, so every thread inherits the mask and none is
  // interrupted.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  const int sfd = signalfd(-1, &stop_signals, SFD_CLOEXEC);
  if (sfd < 0) {
    std::fprintf(stderr, "tessera-emu: serve: signalfd: %s\n", std::strerror(errno));
    return 1;
  }
  opt.stop_fd = sfd;
  int status = 1;
  try {
    serve::Server server(opt);
    status = server.run();
  } catch (const serve::ServeError& e) {
    std::fprintf(stderr, "tessera-emu: serve: %s\n", e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tessera-emu: serve: cannot start: %s\n", e.what());
  }
  close(sfd);
  return status;
#else
  (void)args;
  std::fprintf(stderr, "tessera-emu: serve: built without the device library\n");
  return 1;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) usage_error("missing command");
  const std::string_view cmd = argv[1];
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (cmd == "--version") {
    std::printf("tessera-emu %s\n", TESSERA_VERSION);
    return 0;
  }
  Args args(argc, argv, 2);
  try {
    if (cmd == "run") return cmd_run(args);
    if (cmd == "info") return cmd_info(args);
    if (cmd == "serve") return cmd_serve(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tessera-emu: internal error: %s\n", e.what());
    return 70;  // EX_SOFTWARE
  }
  if (!cmd.empty() && cmd[0] == '-') usage_error("unknown option '" + std::string(cmd) + "'");
  usage_error("unknown command '" + std::string(cmd) + "'");
}
