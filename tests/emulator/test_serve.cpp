// SPDX-License-Identifier: Apache-2.0
// `tessera-emu serve` against a fake QEMU: the ivshmem setup protocol, the
// shared layout, the register-write queue, interrupts, disconnects, and a
// clean stop of the real command on SIGTERM.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "fake_qemu.hpp"
#include "serve/server.hpp"
#include "temp_dir.hpp"

using namespace tessera::emu;
using namespace tessera::emu::test;
namespace fs = std::filesystem;

namespace {

DeviceConfig small_config() {
  DeviceConfig c;
  c.tiles = 2;
  c.threads_per_tile = 256;
  c.memory_bytes = 64ull << 20;
  c.host_threads = 1;
  return c;
}

serve::ServeOptions options(const fs::path& socket, uint32_t devices = 1) {
  serve::ServeOptions o;
  o.socket_path = socket.string();
  o.devices = devices;
  o.config = small_config();
  o.announce = false;
  return o;
}

// An in-process server running on its own thread.
struct ServerThread {
  serve::Server server;
  std::thread thread;
  int status = -1;
  explicit ServerThread(serve::ServeOptions o) : server(std::move(o)) {
    thread = std::thread([this] { status = server.run(); });
  }
  ~ServerThread() { stop(); }
  void stop() {
    if (!thread.joinable()) return;
    server.stop();
    thread.join();
  }
};

}  // namespace

TEST_CASE("serve: QEMU receives the setup messages and the BAR2 layout", "[serve]") {
  tessera::testing::TempDir dir("tessera-serve");
  ServerThread s(options(dir.path / "t1.sock"));
  FakeQemu q((dir.path / "t1.sock").string());
  REQUIRE(q.messages.size() == FakeQemu::kMessages);

  // version 0; QEMU's id; -1 with the memory; the server's id with one
  // eventfd per vector; QEMU's id with one eventfd per vector.
  CHECK(q.messages[0].value == 0);
  CHECK(q.messages[0].fd.get() < 0);
  const int64_t qemu_id = q.messages[1].value;
  CHECK(qemu_id == 1);
  CHECK(q.messages[1].fd.get() < 0);
  CHECK(q.messages[2].value == -1);
  CHECK(fd_kind(q.messages[2].fd.get()).rfind("/memfd:", 0) == 0);
  for (uint32_t v = 0; v < T1_IVSHMEM_VECTORS; ++v) {
    CHECK(q.messages[3 + v].value == 0);
    CHECK(fd_kind(q.server_fd(v)) == "anon_inode:[eventfd]");
    CHECK(q.messages[3 + T1_IVSHMEM_VECTORS + v].value == qemu_id);
    CHECK(fd_kind(q.own_fd(v)) == "anon_inode:[eventfd]");
  }
  // Nothing more is sent.
  CHECK(!readable(q.sock.get(), 50ms));

  // The smallest power of two holding 2 MiB + 64 MiB.
  CHECK(q.shm_size == 128ull << 20);
  const t1_ivshmem_transport& t = q.transport();
  CHECK(t.magic == T1_IVSHMEM_MAGIC);
  CHECK(t.version == T1_IVSHMEM_VERSION);
  CHECK(t.server_peer_id == static_cast<uint32_t>(q.messages[3].value));
  CHECK(t.rwq_entries == T1_IVSHMEM_RWQ_ENTRIES);
  CHECK(t.mem_offset == T1_IVSHMEM_MEM_OFFSET);
  CHECK(t.mem_size == 64ull << 20);
  CHECK(t.state == T1_IVSHMEM_STATE_RUNNING);
  CHECK(t.rwq_head == 0);
  CHECK(t.rwq_tail == 0);
  CHECK(t.rwq_dropped == 0);

  CHECK(std::memcmp(q.base, "T1SS", 4) == 0);
  CHECK(q.reg32(T1_REG_SIGNATURE) == T1_SIGNATURE);
  CHECK(q.reg32(T1_REG_DEVICE_ID) == T1_DEVICE_ID_T1_EMU);
  CHECK(q.reg64(T1_REG_MEM_SIZE) == t.mem_size);
  CHECK(q.reg32(T1_REG_NUM_TILES) == 2);
  // A guest cannot lend the emulator its memory.
  CHECK((q.reg64(T1_REG_CAPS) & T1_CAP_HOST_WINDOWS) == 0);
  CHECK((q.reg64(T1_REG_CAPS) & T1_CAP_EMULATED) != 0);

  // Heartbeat every 10 ms, and TIMESTAMP refreshed with it.
  const uint64_t hb = q.load(q.transport().heartbeat);
  const uint64_t ts = q.reg64(T1_REG_TIMESTAMP);
  CHECK(eventually([&] { return q.load(q.transport().heartbeat) >= hb + 5; }, 2000ms));
  CHECK(q.reg64(T1_REG_TIMESTAMP) > ts);
}

TEST_CASE("serve: a queue runs through the RWQ; interrupts wait for DRIVER_READY", "[serve]") {
  tessera::testing::TempDir dir("tessera-serve");
  ServerThread s(options(dir.path / "t1.sock"));
  FakeQemu q((dir.path / "t1.sock").string());
  REQUIRE(q.connected());
  GuestDriver drv(q);

  // Handshake through the RWQ; STATUS is read straight from the page.
  CHECK(q.reg32(T1_REG_HANDSHAKE) == 0);
  drv.start(/*driver_ready=*/false);
  CHECK(q.reg32(T1_REG_HANDSHAKE) == (T1_HANDSHAKE_ACK | T1_HW_VERSION));
  CHECK(q.reg32(T1_REG_DRV_VERSION) == T1_HW_VERSION);
  CHECK(q.reg32(T1_REG_CONTROL) == T1_CONTROL_ENABLE);

  drv.setup_queue(0);
  const uint64_t target = drv.new_signal(5);
  const uint64_t done = drv.new_signal(1);
  drv.submit(0, signal_packet(target, 42, done, T1_PKT_INTERRUPT));
  REQUIRE(eventually([&] { return drv.signal_value(done) <= 0; }));
  CHECK(drv.signal_value(done) == 0);
  CHECK(drv.signal_value(target) == 42);
  CHECK(drv.at<t1_signal>(done)->status == T1_SIGNAL_STATUS_OK);
  CHECK(q.reg64(T1_REG_QUEUE(0) + T1_QREG_READ_INDEX) == 1);

  // The completion interrupt is pending, not delivered: no DRIVER_READY.
  CHECK((q.reg32(T1_REG_INT_STATUS) & T1_INT_BIT(T1_VEC_QUEUE_COMPLETION)) != 0);
  CHECK((q.reg64(T1_REG_QUEUE_INT_STATUS) & 1) != 0);
  CHECK(!readable(q.own_fd(T1_VEC_QUEUE_COMPLETION), 100ms));

  // DRIVER_READY delivers it, on vector 0 only.
  drv.write32(T1_REG_CONTROL, T1_CONTROL_ENABLE | T1_CONTROL_DRIVER_READY);
  REQUIRE(readable(q.own_fd(T1_VEC_QUEUE_COMPLETION), 2000ms));
  CHECK(q.take_interrupts(T1_VEC_QUEUE_COMPLETION) == 1);
  for (uint32_t v = 1; v < T1_IVSHMEM_VECTORS; ++v) CHECK(q.take_interrupts(v) == 0);

  // Acknowledged (W1C), the next completion interrupts at once.
  drv.write32(T1_REG_INT_STATUS, T1_INT_BIT(T1_VEC_QUEUE_COMPLETION));
  drv.write64(T1_REG_QUEUE_INT_STATUS, 1);
  REQUIRE(drv.sync());
  CHECK(q.reg32(T1_REG_INT_STATUS) == 0);
  const uint64_t done2 = drv.new_signal(1);
  drv.submit(0, signal_packet(target, 7, done2, T1_PKT_INTERRUPT));
  REQUIRE(readable(q.own_fd(T1_VEC_QUEUE_COMPLETION), 5000ms));
  CHECK(q.take_interrupts(T1_VEC_QUEUE_COMPLETION) == 1);
  CHECK(drv.signal_value(done2) == 0);
  CHECK(drv.signal_value(target) == 7);
  CHECK(q.transport().rwq_dropped == 0);
}

TEST_CASE("serve: malformed posted writes are dropped and counted", "[serve]") {
  tessera::testing::TempDir dir("tessera-serve");
  ServerThread s(options(dir.path / "t1.sock"));
  FakeQemu q((dir.path / "t1.sock").string());
  REQUIRE(q.connected());
  GuestDriver drv(q);
  t1_ivshmem_transport& t = q.transport();

  drv.post(T1_REG_DRV_VERSION, 2, T1_HW_VERSION);        // width 2
  drv.post(T1_REG_DRV_VERSION, 0, T1_HW_VERSION);        // width 0
  drv.post(T1_REG_DRV_VERSION, 16, T1_HW_VERSION);       // width 16
  drv.post(T1_REG_CTX_TABLE_BASE + 4, 8, 0x1000);        // misaligned 8
  drv.post(T1_REG_DRV_VERSION + 2, 4, T1_HW_VERSION);    // misaligned 4
  drv.post(T1_REG_PAGE_SIZE, 4, 1);                      // past the page
  drv.post(T1_REG_PAGE_SIZE - 4, 8, 1);                  // straddles its end
  drv.post(0xFFFFFFF8u, 8, 1);                           // far outside
  REQUIRE(drv.sync());
  CHECK(t.rwq_dropped == 8);
  CHECK(t.rwq_tail == 8);
  CHECK(q.reg32(T1_REG_HANDSHAKE) == 0);  // none of them reached the chip

  // A good write after them is applied.
  drv.write32(T1_REG_DRV_VERSION, T1_HW_VERSION);
  REQUIRE(drv.sync());
  CHECK((q.reg32(T1_REG_HANDSHAKE) & T1_HANDSHAKE_ACK) != 0);
  CHECK(t.rwq_dropped == 8);

  // A head more than a queue ahead of the tail: skipped, counted once.
  std::atomic_ref<uint64_t>(t.rwq_head).store(t.rwq_tail + 5000, std::memory_order_release);
  q.doorbell(T1_IVSHMEM_VEC_RWQ);
  REQUIRE(drv.sync());
  CHECK(t.rwq_tail == 9 + 5000);
  CHECK(t.rwq_dropped == 9);
  // A head behind the tail likewise.
  std::atomic_ref<uint64_t>(t.rwq_head).store(3, std::memory_order_release);
  q.doorbell(T1_IVSHMEM_VEC_RWQ);
  REQUIRE(drv.sync());
  CHECK(t.rwq_tail == 3);
  CHECK(t.rwq_dropped == 10);

  // Still serving: a write without a doorbell is picked up by the heartbeat.
  drv.post(T1_REG_INT_MASK, 4, 0x5, /*ring=*/false);
  REQUIRE(drv.sync());
  CHECK(q.reg32(T1_REG_INT_MASK) == 0x5);
  // Doorbells on the other vectors mean nothing.
  q.doorbell(2);
  drv.write32(T1_REG_INT_MASK, 0x3);
  REQUIRE(drv.sync());
  CHECK(q.reg32(T1_REG_INT_MASK) == 0x3);
}

TEST_CASE("serve: a reset while a queue waits, then the guest starts again", "[serve]") {
  tessera::testing::TempDir dir("tessera-serve");
  ServerThread s(options(dir.path / "t1.sock"));
  FakeQemu q((dir.path / "t1.sock").string());
  REQUIRE(q.connected());
  GuestDriver drv(q);
  drv.start(/*driver_ready=*/true);
  drv.setup_queue(0);
  // A BARRIER_AND on a signal nobody completes: the queue is busy.
  const uint64_t never = drv.new_signal(1);
  const uint64_t done = drv.new_signal(1);
  drv.submit(0, barrier_packet(never, done));
  REQUIRE(drv.sync());
  std::this_thread::sleep_for(50ms);
  CHECK((q.reg32(T1_REG_QUEUE(0) + T1_QREG_STATUS) & T1_QSTATUS_ACTIVE) != 0);
  CHECK(drv.signal_value(done) == 1);

  drv.write32(T1_REG_RESET, 1);
  REQUIRE(drv.sync(5000ms));
  CHECK(q.reg32(T1_REG_RESET) == 0);
  CHECK(q.reg32(T1_REG_CONTROL) == 0);
  CHECK(q.reg32(T1_REG_HANDSHAKE) == 0);
  CHECK(q.reg32(T1_REG_INT_MASK) == 0);
  CHECK(q.reg32(T1_REG_QUEUE(0) + T1_QREG_STATUS) == 0);
  CHECK(q.reg32(T1_REG_QUEUE(0) + T1_QREG_CONTROL) == 0);
  CHECK(drv.signal_value(done) == 1);  // a reset signals nothing
  CHECK(q.take_interrupts(T1_VEC_QUEUE_ERROR) == 0);

  // The rebooted guest probes again on the same connection.
  GuestDriver again(q);
  again.start(/*driver_ready=*/true);
  again.setup_queue(1);
  const uint64_t target = again.new_signal(9);
  const uint64_t done2 = again.new_signal(1);
  again.submit(1, signal_packet(target, -3, done2, T1_PKT_INTERRUPT));
  REQUIRE(eventually([&] { return again.signal_value(done2) <= 0; }));
  CHECK(again.signal_value(target) == -3);
  REQUIRE(readable(q.own_fd(T1_VEC_QUEUE_COMPLETION), 2000ms));
  CHECK(q.take_interrupts(T1_VEC_QUEUE_COMPLETION) == 1);
}

TEST_CASE("serve: a disconnect resets and scrubs the device for the next QEMU", "[serve]") {
  tessera::testing::TempDir dir("tessera-serve");
  ServerThread s(options(dir.path / "t1.sock"));
  auto first = std::make_unique<FakeQemu>((dir.path / "t1.sock").string());
  REQUIRE(first->connected());
  {
    GuestDriver drv(*first);
    drv.start(/*driver_ready=*/true);
    drv.setup_queue(0);
    const uint64_t never = drv.new_signal(1);
    drv.submit(0, barrier_packet(never, 0));  // still running at the disconnect
    REQUIRE(drv.sync());
  }
  std::memset(first->mem(32ull << 20), 0xAB, 8192);
  CHECK(first->transport().rwq_head > 0);

  first->disconnect();
  // The old mapping shows the server taking the device back.
  t1_ivshmem_transport& t = first->transport();
  // rwq_head is zeroed last.
  REQUIRE(eventually([&] { return first->load(t.rwq_head) == 0; }));
  CHECK(first->load(t.rwq_tail) == 0);
  CHECK(first->reg32(T1_REG_CONTROL) == 0);
  CHECK(first->reg32(T1_REG_HANDSHAKE) == 0);
  CHECK(first->reg32(T1_REG_QUEUE(0) + T1_QREG_STATUS) == 0);
  CHECK(first->mem(32ull << 20)[0] == 0);
  CHECK(first->mem(32ull << 20)[8191] == 0);
  CHECK(first->load(t.state) == T1_IVSHMEM_STATE_RUNNING);

  FakeQemu second((dir.path / "t1.sock").string());
  REQUIRE(second.connected());
  CHECK(second.reg32(T1_REG_DEVICE_INDEX) == 0);
  CHECK(second.reg32(T1_REG_STATUS) == 0);
  CHECK(second.transport().magic == T1_IVSHMEM_MAGIC);
  // The same chip: both mappings are one memory.
  second.mem(0x5000)[0] = 0x5A;
  CHECK(first->mem(0x5000)[0] == 0x5A);
  first.reset();
  GuestDriver drv(second);
  drv.start(/*driver_ready=*/true);
  drv.setup_queue(0);
  const uint64_t target = drv.new_signal(1);
  const uint64_t done = drv.new_signal(1);
  drv.submit(0, signal_packet(target, 11, done, T1_PKT_INTERRUPT));
  REQUIRE(eventually([&] { return drv.signal_value(done) <= 0; }));
  CHECK(drv.signal_value(target) == 11);
  REQUIRE(readable(second.own_fd(T1_VEC_QUEUE_COMPLETION), 2000ms));
}

TEST_CASE("serve: connections take the lowest free device; extra ones are closed", "[serve]") {
  tessera::testing::TempDir dir("tessera-serve");
  ServerThread s(options(dir.path / "t1.sock", 2));
  const std::string path = (dir.path / "t1.sock").string();
  auto a = std::make_unique<FakeQemu>(path);
  FakeQemu b(path);
  REQUIRE(a->connected());
  REQUIRE(b.connected());
  CHECK(a->reg32(T1_REG_DEVICE_INDEX) == 0);
  CHECK(b.reg32(T1_REG_DEVICE_INDEX) == 1);
  // One fabric: the two chips are linked to each other.
  CHECK(a->reg32(T1_REG_NUM_LINKS) == 1);
  CHECK(a->reg32(T1_REG_LINK(0) + T1_LREG_PEER_DEVICE) == 1);
  CHECK(b.reg32(T1_REG_LINK(0) + T1_LREG_PEER_DEVICE) == 0);
  CHECK(a->messages[2].fd.get() != b.messages[2].fd.get());

  // A third QEMU: closed without a message.
  FakeQemu c(path);
  CHECK(!c.connected());
  CHECK(c.messages.empty());

  // Device 0 freed: the next QEMU gets it.
  a->disconnect();
  a.reset();
  std::unique_ptr<FakeQemu> d;
  REQUIRE(eventually([&] {
    d = std::make_unique<FakeQemu>(path);
    return d->connected();
  }));
  CHECK(d->reg32(T1_REG_DEVICE_INDEX) == 0);
}

TEST_CASE("serve: data sent by a client is ignored", "[serve]") {
  tessera::testing::TempDir dir("tessera-serve");
  ServerThread s(options(dir.path / "t1.sock"));
  FakeQemu q((dir.path / "t1.sock").string());
  REQUIRE(q.connected());
  GuestDriver drv(q);
  drv.start(/*driver_ready=*/false);
  const char junk[] = "QEMU never talks; this is not QEMU";
  for (int i = 0; i < 100; ++i) REQUIRE(::send(q.sock.get(), junk, sizeof junk, 0) > 0);
  // Still connected, not reset.
  std::this_thread::sleep_for(50ms);
  CHECK(q.reg32(T1_REG_CONTROL) == T1_CONTROL_ENABLE);
  drv.write32(T1_REG_INT_MASK, 0x9);
  REQUIRE(drv.sync());
  CHECK(q.reg32(T1_REG_INT_MASK) == 0x9);
}

TEST_CASE("serve: the socket path is checked", "[serve]") {
  tessera::testing::TempDir dir("tessera-serve");
  SECTION("a regular file is not replaced") {
    const fs::path p = dir.path / "file";
    std::ofstream(p) << "keep me";
    CHECK_THROWS_WITH(serve::Server(options(p)), Catch::Contains("not a socket"));
    CHECK(fs::file_size(p) == 7);
  }
  SECTION("a socket another server listens on is refused") {
    const fs::path p = dir.path / "t1.sock";
    ServerThread s(options(p));
    CHECK_THROWS_WITH(serve::Server(options(p)), Catch::Contains("another server"));
    // The first server still serves (its device is free again once it
    // has seen the probe's connection close).
    std::unique_ptr<FakeQemu> q;
    CHECK(eventually([&] {
      q = std::make_unique<FakeQemu>(p.string());
      return q->connected();
    }));
  }
  SECTION("a stale socket is replaced") {
    const fs::path p = dir.path / "t1.sock";
    {
      Fd stale(::socket(AF_UNIX, SOCK_STREAM, 0));
      sockaddr_un a{};
      a.sun_family = AF_UNIX;
      std::strncpy(a.sun_path, p.c_str(), sizeof a.sun_path - 1);
      REQUIRE(::bind(stale.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    }
    REQUIRE(fs::is_socket(p));
    ServerThread s(options(p));
    FakeQemu q(p.string());
    CHECK(q.connected());
  }
  SECTION("a path too long for a UNIX socket") {
    CHECK_THROWS_WITH(serve::Server(options(dir.path / std::string(120, 'x'))),
                      Catch::Contains("too long"));
  }
  SECTION("a missing directory") {
    CHECK_THROWS_AS(serve::Server(options(dir.path / "no" / "t1.sock")), serve::ServeError);
  }
  SECTION("the socket is removed when the server stops") {
    const fs::path p = dir.path / "t1.sock";
    {
      ServerThread s(options(p));
      CHECK(fs::is_socket(p));
      s.stop();
      CHECK(s.status == 0);
      CHECK(!fs::exists(p));
    }
  }
}

// ---- The command ------------------------------------------------------------

namespace {

struct Child {
  pid_t pid = -1;
  Fd out;  // its stdout
  Fd err;  // its stderr

  explicit Child(const std::vector<std::string>& args) {
    int o[2], e[2];
    REQUIRE(::pipe2(o, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(e, O_CLOEXEC) == 0);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::dup2(o[1], 1);
      ::dup2(e[1], 2);
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(o[1]);
    ::close(e[1]);
    out = Fd(o[0]);
    err = Fd(e[0]);
  }
  ~Child() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  // Reads `fd` until `text` appears, EOF or the timeout; returns what came.
  static std::string read_until(int fd, const std::string& text,
                                std::chrono::milliseconds timeout = 10000ms) {
    std::string got;
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (got.find(text) == std::string::npos && std::chrono::steady_clock::now() < end) {
      if (!readable(fd, 100ms)) continue;
      char buf[512];
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
    return got;
  }
  // The exit status, or -1 if it did not exit in time.
  int wait(std::chrono::milliseconds timeout = 10000ms) {
    int status = 0;
    const bool exited = eventually([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout);
    if (!exited) return -1;
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

std::vector<std::string> serve_args(const fs::path& socket) {
  return {TESSERA_EMU_BIN,   "serve",          "--socket", socket.string(),
          "--memory",        "64M",            "--tiles",  "2",
          "--threads-per-tile", "256",         "--host-threads", "1"};
}

}  // namespace

TEST_CASE("serve: tessera-emu serve stops cleanly on SIGTERM", "[serve]") {
  tessera::testing::TempDir dir("tessera-serve");
  const fs::path sock = dir.path / "t1.sock";
  Child server(serve_args(sock));
  const std::string out = Child::read_until(server.out.get(), "ready\n");
  REQUIRE(out == "tessera-emu serve: device 0: 64 MiB, shm 128 MiB, socket " + sock.string() +
                     "\ntessera-emu serve: ready\n");
  CHECK(fs::is_socket(sock));

  FakeQemu q(sock.string());
  REQUIRE(q.connected());
  GuestDriver drv(q);
  drv.start(/*driver_ready=*/true);
  drv.setup_queue(0);
  const uint64_t never = drv.new_signal(1);
  drv.submit(0, barrier_packet(never, 0));  // work in flight at the stop
  REQUIRE(drv.sync());

  SECTION("SIGTERM") { REQUIRE(::kill(server.pid, SIGTERM) == 0); }
  SECTION("SIGINT") { REQUIRE(::kill(server.pid, SIGINT) == 0); }
  CHECK(server.wait() == 0);
  CHECK(!fs::exists(sock));
  // The guest's view: STOPPED, heartbeat still, connection closed.
  CHECK(q.load(q.transport().state) == T1_IVSHMEM_STATE_STOPPED);
  const uint64_t hb = q.load(q.transport().heartbeat);
  std::this_thread::sleep_for(50ms);
  CHECK(q.load(q.transport().heartbeat) == hb);
  char c;
  CHECK(::recv(q.sock.get(), &c, 1, MSG_DONTWAIT) == 0);
  const std::string err = Child::read_until(server.err.get(), "\x01", 1000ms);
  CHECK(err.find("device 0: QEMU connected") != std::string::npos);
}

TEST_CASE("serve: tessera-emu serve refuses bad arguments", "[serve]") {
  tessera::testing::TempDir dir("tessera-serve");
  SECTION("no socket") {
    Child c({TESSERA_EMU_BIN, "serve", "--memory", "64M"});
    CHECK(c.wait() == 2);
    CHECK(Child::read_until(c.err.get(), "\n").find("missing --socket") != std::string::npos);
  }
  SECTION("a bad size") {
    Child c({TESSERA_EMU_BIN, "serve", "--socket", (dir.path / "s").string(), "--memory", "12Q"});
    CHECK(c.wait() == 2);
  }
  SECTION("memory not a multiple of 2 MiB") {
    Child c({TESSERA_EMU_BIN, "serve", "--socket", (dir.path / "s").string(), "--memory", "3M"});
    CHECK(c.wait() == 1);
    CHECK(Child::read_until(c.err.get(), "\n").find("2 MiB") != std::string::npos);
    CHECK(!fs::exists(dir.path / "s"));
  }
  SECTION("a socket in use") {
    const fs::path sock = dir.path / "t1.sock";
    Child first(serve_args(sock));
    REQUIRE(Child::read_until(first.out.get(), "ready\n").find("ready") != std::string::npos);
    Child second(serve_args(sock));
    CHECK(second.wait() == 1);
    CHECK(Child::read_until(second.err.get(), "\n").find("another server") != std::string::npos);
    REQUIRE(::kill(first.pid, SIGTERM) == 0);
    CHECK(first.wait() == 0);
  }
}
