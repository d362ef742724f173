// SPDX-License-Identifier: Apache-2.0
// Kernel dispatch through the command processor: tiny hand-encoded kernels
// run on the SIMT engine; results, faults, the watchdog, queue disable and
// reset of running dispatches. (Kernel semantics are the SIMT tests' job.)
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "test_driver.hpp"

using namespace tessera::emu;
using namespace tessera::emu::test;
using namespace std::chrono_literals;

namespace {

enum Reg : uint32_t { zero = 0, t0 = 5, t1 = 6, t2 = 7, a0 = 10, a1 = 11 };

constexpr uint32_t i_type(uint32_t op, uint32_t f3, uint32_t rd, uint32_t rs1, int32_t imm) {
  return (static_cast<uint32_t>(imm & 0xFFF) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
constexpr uint32_t r_type(uint32_t f7, uint32_t f3, uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33;
}
constexpr uint32_t csrr(uint32_t rd, uint32_t csr) { return i_type(0x73, 2, rd, 0, static_cast<int32_t>(csr)); }
constexpr uint32_t ld(uint32_t rd, uint32_t rs1, int32_t off) { return i_type(0x03, 3, rd, rs1, off); }
constexpr uint32_t addi(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(0x13, 0, rd, rs1, imm); }
constexpr uint32_t slli(uint32_t rd, uint32_t rs1, int32_t sh) { return i_type(0x13, 1, rd, rs1, sh); }
constexpr uint32_t add(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(0, 0, rd, rs1, rs2); }
constexpr uint32_t mul(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(1, 0, rd, rs1, rs2); }
constexpr uint32_t sd(uint32_t rs2, uint32_t rs1) { return (rs2 << 20) | (rs1 << 15) | (3 << 12) | 0x23; }
constexpr uint32_t t_exit() { return T1_ENCODE_R(T1_OPCODE_CUSTOM0, T1_F3_EXIT, 0, 0, 0, 0); }
// beq rs1, rs2, -4
constexpr uint32_t beq_back4(uint32_t rs1, uint32_t rs2) {
  return (1u << 31) | (0x3Fu << 25) | (rs2 << 20) | (rs1 << 15) | (0xEu << 8) | (1u << 7) | 0x63;
}

// out = *(u64**)kernarg; out[gid] = gid + 100
const std::vector<uint32_t> kStoreKernel = {
    csrr(t0, T1_CSR_TID_X), csrr(t1, T1_CSR_CTAID_X), csrr(t2, T1_CSR_NTID_X),
    mul(t1, t1, t2),        add(t0, t0, t1),          ld(a1, a0, 0),
    slli(t1, t0, 3),        add(t1, a1, t1),          addi(t2, t0, 100),
    sd(t2, t1),             t_exit()};
// Loads from address 0x0 (never mapped).
const std::vector<uint32_t> kFaultKernel = {csrr(t0, T1_CSR_TID_X), ld(t1, zero, 0), t_exit()};
// Spins until the u64 at kernarg becomes non-zero. The tests release it
// after a few seconds at the latest, so a dispatch that cannot be cancelled
// makes a test fail instead of hanging.
const std::vector<uint32_t> kSpinKernel = {ld(t0, a0, 0), beq_back4(t0, zero), t_exit()};

struct Fixture {
  explicit Fixture(DeviceConfig c = small_config()) : dev(c), drv(dev) {
    drv.setup_queue(0);
    drv.setup_queue(1);
    code = drv.alloc_mapped(T1_PAGE_SIZE, 0, T1_PTE_R | T1_PTE_X);
    flag = drv.alloc_mapped(T1_PAGE_SIZE);
  }
  ~Fixture() {
    {
      std::lock_guard lock(release_mu);
      done = true;
    }
    release_cv.notify_all();
    if (releaser.joinable()) releaser.join();
    release();
  }
  void release() {
    std::atomic_ref<uint64_t>(*drv.at<uint64_t>(flag)).store(1, std::memory_order_release);
  }
  // Releases spinning kernels after `after` whatever happens.
  void release_later(std::chrono::milliseconds after) {
    releaser = std::thread([this, after] {
      std::unique_lock lock(release_mu);
      if (!release_cv.wait_for(lock, after, [&] { return done; })) release();
    });
  }
  uint64_t load(const std::vector<uint32_t>& k) {
    const uint64_t at = code + used;
    std::memcpy(drv.mem(at), k.data(), k.size() * 4);
    used += (k.size() * 4 + 63) & ~uint64_t{63};
    return at;
  }
  union t1_packet dispatch(uint64_t entry, uint32_t grid, uint16_t block, uint64_t kernarg,
                           uint64_t signal) {
    union t1_packet p{};
    p.dispatch.header = T1_PKT_TYPE_KERNEL_DISPATCH;
    p.dispatch.block_x = block;
    p.dispatch.block_y = p.dispatch.block_z = 1;
    p.dispatch.grid_x = grid;
    p.dispatch.grid_y = p.dispatch.grid_z = 1;
    p.dispatch.entry = entry;
    p.dispatch.kernarg = kernarg;
    p.dispatch.completion_signal = signal;
    return p;
  }
  Device dev;
  TestDriver drv;
  uint64_t code = 0, used = 0, flag = 0;
  std::thread releaser;
  std::mutex release_mu;
  std::condition_variable release_cv;
  bool done = false;
};

}  // namespace

TEST_CASE("a kernel dispatch runs every thread and completes", "[device][dispatch]") {
  Fixture f;
  const uint64_t entry = f.load(kStoreKernel);
  const uint64_t out = f.drv.alloc_mapped(3 * 64 * 8);
  const uint64_t karg = f.drv.alloc_mapped(64);
  *f.drv.at<uint64_t>(karg) = out;
  const uint64_t s = f.drv.new_signal();
  f.drv.submit(0, f.dispatch(entry, 3, 64, karg, s));
  REQUIRE(f.drv.wait(s));
  CHECK(f.drv.signal(s).status == 0);
  CHECK(f.drv.signal(s).end_ts >= f.drv.signal(s).start_ts);
  for (uint64_t i = 0; i < 3 * 64; ++i) {
    INFO("gid " << i);
    REQUIRE(f.drv.at<uint64_t>(out)[i] == i + 100);
  }
  CHECK(f.dev.read32(T1_REG_FAULT_COUNT) == 0);
}

TEST_CASE("a faulting dispatch reports the thread and stops only its queue", "[device][dispatch]") {
  Fixture f;
  const uint64_t entry = f.load(kFaultKernel);
  const uint64_t s = f.drv.new_signal();
  const uint64_t idx = f.drv.submit(0, f.dispatch(entry, 2, 32, 0, s));
  REQUIRE(f.drv.wait(s));
  CHECK(f.drv.signal(s).status == T1_FAULT_UNMAPPED);
  REQUIRE(TestDriver::wait_for([&] { return (f.drv.queue_status(0) & T1_QSTATUS_ERROR) != 0; }));
  CHECK(T1_QSTATUS_CAUSE(f.drv.queue_status(0)) == T1_FAULT_UNMAPPED);
  REQUIRE(f.dev.read32(T1_REG_FAULT_COUNT) == 1);
  const t1_fault_record r = f.drv.fault(0);
  CHECK(r.cause == T1_FAULT_UNMAPPED);
  CHECK(r.access == T1_ACCESS_READ);
  CHECK(r.address == 0);
  CHECK(r.pc == entry + 4);
  CHECK(r.raw_insn == ld(t1, zero, 0));
  CHECK(r.kernel_entry == entry);
  CHECK(r.queue == 0);
  CHECK(r.packet_index == idx);
  CHECK((r.flags & T1_FAULT_FLAG_THREAD) != 0);
  CHECK(r.block_x < 2);
  CHECK(r.thread_x < 32);
  // Queue 1 goes on.
  const uint64_t s1 = f.drv.new_signal();
  f.drv.submit(1, timestamp_packet(f.drv.alloc_mapped(T1_PAGE_SIZE), s1));
  REQUIRE(f.drv.wait(s1));
  CHECK(f.drv.signal(s1).status == 0);
}

TEST_CASE("the watchdog ends a dispatch that runs too long", "[device][dispatch]") {
  DeviceConfig c = small_config();
  c.watchdog_ms = 100;
  Fixture f(c);
  const uint64_t entry = f.load(kSpinKernel);
  const uint64_t s = f.drv.new_signal();
  f.release_later(3000ms);
  f.drv.submit(0, f.dispatch(entry, 1, 32, f.flag, s));
  REQUIRE(f.drv.wait(s, 10000ms));
  CHECK(f.drv.signal(s).status == T1_FAULT_WATCHDOG);
  const uint64_t took = f.drv.signal(s).end_ts - f.drv.signal(s).start_ts;
  CHECK(took >= 100000000ull);
  CHECK(took < 2000000000ull);  // ended by the watchdog, not by the release after 3 s
  CHECK(f.drv.fault(0).cause == T1_FAULT_WATCHDOG);
  CHECK(T1_QSTATUS_CAUSE(f.drv.queue_status(0)) == T1_FAULT_WATCHDOG);
}

TEST_CASE("a long dispatch does not stall another queue; disable and reset abort it",
          "[device][dispatch]") {
  Fixture f;
  const uint64_t entry = f.load(kSpinKernel);
  const uint64_t s = f.drv.new_signal();
  f.release_later(3000ms);
  f.drv.submit(0, f.dispatch(entry, 1, 32, f.flag, s));
  // Queue 0 has taken the dispatch (a packet not yet taken would simply not
  // run after a disable or reset).
  REQUIRE(TestDriver::wait_for([&] {
    return f.dev.read64(T1_REG_QUEUE(0) + T1_QREG_READ_INDEX) == 1 &&
           (f.drv.queue_status(0) & T1_QSTATUS_BUSY);
  }));
  const uint64_t s1 = f.drv.new_signal();
  f.drv.submit(1, fill_packet(f.drv.alloc_mapped(T1_PAGE_SIZE), 64, 1, 1, s1));
  REQUIRE(f.drv.wait(s1, 5000ms));
  CHECK(f.drv.signal_value(s) == 1);

  SECTION("disable: the signal reports ABORTED") {
    f.dev.write32(T1_REG_QUEUE(0) + T1_QREG_CONTROL, 0);
    REQUIRE(f.drv.wait(s, 2000ms));
    CHECK(f.drv.signal(s).status == T1_FAULT_ABORTED);
    REQUIRE(TestDriver::wait_for([&] { return f.drv.queue_status(0) == 0; }));
  }
  SECTION("reset: nothing is signalled") {
    const auto t0 = std::chrono::steady_clock::now();
    f.dev.write32(T1_REG_RESET, 1);
    CHECK(std::chrono::steady_clock::now() - t0 < 2000ms);  // aborted, not released
    CHECK(f.dev.read32(T1_REG_RESET) == 0);
    CHECK(f.drv.queue_status(0) == 0);
    CHECK(f.drv.signal_value(s) == 1);
  }
}
