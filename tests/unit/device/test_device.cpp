// SPDX-License-Identifier: Apache-2.0
// Device-model tests: registers and handshake, lazily backed memory, the
// MMU, every packet kind, ordering, interrupts, errors, independent queues,
// peer DMA over links, reset and configuration.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unistd.h>
#include <vector>

#include "device/device_impl.hpp"
#include "test_driver.hpp"

using namespace tessera::emu;
using namespace tessera::emu::test;
using namespace std::chrono_literals;

namespace {

uint64_t rss_bytes() {
  long pages = 0, resident = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  REQUIRE(f);
  REQUIRE(std::fscanf(f, "%ld %ld", &pages, &resident) == 2);
  std::fclose(f);
  return static_cast<uint64_t>(resident) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

bool translate(Device& d, uint32_t ctx, uint64_t va, uint8_t access, PageRef& ref,
               uint32_t& cause) {
  return d.impl().mmu.translate(ctx, va, access, ref, cause);
}

uint32_t translate_cause(Device& d, uint32_t ctx, uint64_t va, uint8_t access) {
  PageRef ref;
  uint32_t cause = T1_FAULT_NONE;
  if (translate(d, ctx, va, access, ref, cause)) return T1_FAULT_NONE;
  return cause;
}

}  // namespace

TEST_CASE("identification registers describe the configuration", "[device][regs]") {
  DeviceConfig c = small_config();
  c.tiles = 3;
  c.queues = 5;
  Device d(c);
  CHECK(d.read32(T1_REG_SIGNATURE) == T1_SIGNATURE);
  CHECK(std::memcmp(const_cast<const uint8_t*>(d.regs()), "T1SS", 4) == 0);
  CHECK(d.read32(T1_REG_VENDOR_ID) == T1_VENDOR_ID);
  CHECK(d.read32(T1_REG_DEVICE_ID) == T1_DEVICE_ID_T1_EMU);
  CHECK(d.read32(T1_REG_HW_VERSION) == T1_VERSION(1, 0));
  CHECK((d.read64(T1_REG_CAPS) & T1_CAP_EMULATED) != 0);
  CHECK(d.read32(T1_REG_NUM_TILES) == 3);
  CHECK(d.read32(T1_REG_THREADS_PER_TILE) == 256);
  CHECK(d.read32(T1_REG_WARP_SIZE) == 32);
  CHECK(d.read32(T1_REG_SCRATCHPAD_SIZE) == 256 * 1024);
  CHECK(d.read64(T1_REG_MEM_SIZE) == (64ull << 20));
  CHECK(d.read32(T1_REG_NUM_QUEUES) == 5);
  CHECK(d.read32(T1_REG_NUM_LINKS) == 0);
  CHECK(d.read32(T1_REG_DEVICE_INDEX) == 0);
  CHECK(d.read32(T1_REG_FAULT_RING_SIZE) == T1_FAULT_RING_ENTRIES);
  // Identification is read-only.
  d.write32(T1_REG_NUM_TILES, 99);
  CHECK(d.read32(T1_REG_NUM_TILES) == 3);
  CHECK_THROWS_AS(d.read32(2), std::out_of_range);
  CHECK_THROWS_AS(d.read64(T1_REG_PAGE_SIZE), std::out_of_range);
  // Timestamp advances.
  const uint64_t t0 = d.read64(T1_REG_TIMESTAMP);
  std::this_thread::sleep_for(2ms);
  CHECK(d.read64(T1_REG_TIMESTAMP) >= t0 + 1000000);
}

TEST_CASE("version handshake accepts the same major and refuses others", "[device][regs]") {
  Device d(small_config());
  CHECK(d.read32(T1_REG_HANDSHAKE) == 0);
  // Without a handshake the command processor cannot be enabled.
  d.write32(T1_REG_CONTROL, T1_CONTROL_ENABLE);
  CHECK((d.read32(T1_REG_CONTROL) & T1_CONTROL_ENABLE) == 0);
  CHECK((d.read32(T1_REG_STATUS) & T1_STATUS_ENABLED) == 0);

  d.write32(T1_REG_DRV_VERSION, T1_VERSION(2, 3));
  uint32_t h = d.read32(T1_REG_HANDSHAKE);
  CHECK((h & T1_HANDSHAKE_NAK) != 0);
  CHECK((h & T1_HANDSHAKE_ACK) == 0);
  CHECK(T1_HANDSHAKE_VERSION(h) == T1_VERSION(1, 0));  // what the device supports
  d.write32(T1_REG_CONTROL, T1_CONTROL_ENABLE);
  CHECK((d.read32(T1_REG_STATUS) & T1_STATUS_ENABLED) == 0);

  d.write32(T1_REG_DRV_VERSION, T1_VERSION(1, 7));  // newer minor: ok, speaks 1.0
  h = d.read32(T1_REG_HANDSHAKE);
  CHECK((h & T1_HANDSHAKE_ACK) != 0);
  CHECK(T1_HANDSHAKE_VERSION(h) == T1_VERSION(1, 0));
  d.write32(T1_REG_CONTROL, T1_CONTROL_ENABLE);
  CHECK((d.read32(T1_REG_STATUS) & (T1_STATUS_ENABLED | T1_STATUS_HANDSHAKE_OK)) ==
        (T1_STATUS_ENABLED | T1_STATUS_HANDSHAKE_OK));

  // A later refused handshake takes the command processor away again.
  d.write32(T1_REG_DRV_VERSION, T1_VERSION(0, 9));
  CHECK((d.read32(T1_REG_HANDSHAKE) & T1_HANDSHAKE_NAK) != 0);
  CHECK((d.read32(T1_REG_STATUS) & T1_STATUS_ENABLED) == 0);
}

TEST_CASE("a 96 GiB device is backed lazily", "[device][memory]") {
  DeviceConfig c = small_config();
  c.memory_bytes = 96ull << 30;
  const uint64_t before = rss_bytes();
  Device d(c);
  REQUIRE(d.memory_size() == (96ull << 30));
  CHECK(d.read64(T1_REG_MEM_SIZE) == (96ull << 30));
  uint8_t* m = d.memory_base();
  for (uint64_t off : {0ull, 4096ull * 7, (48ull << 30) + 123, (96ull << 30) - 4096,
                       (96ull << 30) - 1})
    m[off] = static_cast<uint8_t>(off * 7 + 1);
  CHECK(m[0] == 1);
  CHECK(m[(96ull << 30) - 1] == static_cast<uint8_t>(((96ull << 30) - 1) * 7 + 1));
  CHECK(rss_bytes() - before < (64ull << 20));

  // Scrub zeroes partial pages and releases whole ones.
  std::memset(m + 8192, 0xAB, 3 * 4096);
  d.scrub(8192 + 100, 2 * 4096);
  CHECK(m[8192 + 99] == 0xAB);
  CHECK(m[8192 + 100] == 0);
  CHECK(m[8192 + 4096] == 0);
  CHECK(m[8192 + 100 + 2 * 4096 - 1] == 0);
  CHECK(m[8192 + 100 + 2 * 4096] == 0xAB);
}

TEST_CASE("MMU walks Sv48 tables with precise faults", "[device][mmu]") {
  Device d(small_config());
  TestDriver drv(d);
  const uint64_t page = drv.alloc(T1_PAGE_SIZE);
  const uint64_t huge = drv.alloc(T1_HUGE_PAGE_SIZE, true);
  const uint64_t va4k = 0x0000123456789000ull;
  const uint64_t va2m = 0x0000400000200000ull;
  drv.map(0, va4k, page, T1_PAGE_SIZE, T1_PTE_R | T1_PTE_W);
  drv.map_huge(0, va2m, huge, T1_PTE_R | T1_PTE_X);

  PageRef ref;
  uint32_t cause = 0;
  REQUIRE(translate(d, 0, va4k + 0x123, T1_ACCESS_READ | T1_ACCESS_WRITE, ref, cause));
  CHECK(ref.host == drv.mem(page));
  CHECK(ref.perms == (T1_ACCESS_READ | T1_ACCESS_WRITE));
  REQUIRE(translate(d, 0, va2m + 0x1ABCDE, T1_ACCESS_EXEC, ref, cause));
  CHECK(ref.host == drv.mem(huge + 0x1AB000));
  CHECK(ref.perms == (T1_ACCESS_READ | T1_ACCESS_EXEC));

  CHECK(translate_cause(d, 0, va4k, T1_ACCESS_EXEC) == T1_FAULT_PERMISSION);
  CHECK(translate_cause(d, 0, va2m, T1_ACCESS_WRITE) == T1_FAULT_PERMISSION);
  CHECK(translate_cause(d, 0, va4k + T1_PAGE_SIZE, T1_ACCESS_READ) == T1_FAULT_UNMAPPED);
  CHECK(translate_cause(d, 1, va4k, T1_ACCESS_READ) == T1_FAULT_UNMAPPED);  // no root
  CHECK(translate_cause(d, 9, va4k, T1_ACCESS_READ) == T1_FAULT_UNMAPPED);  // beyond the table
  // Non-canonical: bit 47 set but the upper bits clear.
  CHECK(translate_cause(d, 0, 0x0000800000000000ull, T1_ACCESS_READ) == T1_FAULT_UNMAPPED);
  CHECK(translate_cause(d, 0, 0x0001000000001000ull, T1_ACCESS_READ) == T1_FAULT_UNMAPPED);

  // W without R, a 1 GiB leaf, a misaligned 2 MiB leaf, reserved bits.
  const uint64_t v1 = 0x10000000ull, v2 = 0x80000000ull, v3 = 0x2000000000ull, v4 = 0x3000000000ull;
  drv.map(0, v1, page, T1_PAGE_SIZE, T1_PTE_W);
  CHECK(translate_cause(d, 0, v1, T1_ACCESS_WRITE) == T1_FAULT_BAD_PAGE_TABLE);
  drv.set_pte(0, v2, 2, T1_PTE(0, T1_PTE_V | T1_PTE_R));
  CHECK(translate_cause(d, 0, v2, T1_ACCESS_READ) == T1_FAULT_BAD_PAGE_TABLE);
  drv.set_pte(0, v3, 1, T1_PTE(huge + T1_PAGE_SIZE, T1_PTE_V | T1_PTE_R));
  CHECK(translate_cause(d, 0, v3, T1_ACCESS_READ) == T1_FAULT_BAD_PAGE_TABLE);
  drv.set_pte(0, v4, 0, T1_PTE(page, T1_PTE_V | T1_PTE_R) | (1ull << 60));
  CHECK(translate_cause(d, 0, v4, T1_ACCESS_READ) == T1_FAULT_BAD_PAGE_TABLE);
  // A leaf beyond device memory, and into the host aperture.
  drv.map(0, v4 + T1_PAGE_SIZE, 1ull << 40, T1_PAGE_SIZE, T1_PTE_R);
  CHECK(translate_cause(d, 0, v4 + T1_PAGE_SIZE, T1_ACCESS_READ) == T1_FAULT_PHYS_RANGE);
  drv.map(0, v4 + 2 * T1_PAGE_SIZE, T1_HOST_APERTURE_BASE + (1ull << 30), T1_PAGE_SIZE, T1_PTE_R);
  CHECK(translate_cause(d, 0, v4 + 2 * T1_PAGE_SIZE, T1_ACCESS_READ) == T1_FAULT_PHYS_RANGE);

  // Host windows.
  alignas(4096) static uint8_t host[2 * 4096];
  const uint64_t hp = d.map_host_window(host, sizeof host);
  CHECK(hp >= T1_HOST_APERTURE_BASE);
  drv.map(0, 0x50000000, hp, sizeof host);
  REQUIRE(translate(d, 0, 0x50001008, T1_ACCESS_WRITE, ref, cause));
  CHECK(ref.host == host + 4096);
  d.unmap_host_window(hp);
  CHECK(translate_cause(d, 0, 0x50001008, T1_ACCESS_WRITE) == T1_FAULT_PHYS_RANGE);
  CHECK_THROWS_AS(d.map_host_window(host + 1, 4096), std::invalid_argument);
}

TEST_CASE("every packet kind runs and completes its signal", "[device][packets]") {
  Device d(small_config());
  TestDriver drv(d);
  drv.setup_queue(0);
  const uint64_t a = drv.alloc_mapped(3 * T1_PAGE_SIZE);
  const uint64_t b = drv.alloc_mapped(3 * T1_PAGE_SIZE);

  SECTION("DMA fill, widths 1, 2 and 4") {
    uint64_t s1 = drv.new_signal(), s2 = drv.new_signal(), s4 = drv.new_signal();
    drv.submit(0, fill_packet(a + 1, 5000, 0x5A, 1, s1));
    drv.submit(0, fill_packet(b + 2, 6, 0xBEEF, 2, s2));
    drv.submit(0, fill_packet(b + 8, 8, 0x11223344, 4, s4));
    REQUIRE(drv.wait(s4));
    CHECK(drv.signal_value(s1) == 0);
    CHECK(drv.signal(s1).status == T1_SIGNAL_STATUS_OK);
    CHECK(*drv.at<uint8_t>(a) == 0);
    CHECK(*drv.at<uint8_t>(a + 1) == 0x5A);
    CHECK(*drv.at<uint8_t>(a + 5000) == 0x5A);
    CHECK(*drv.at<uint8_t>(a + 5001) == 0);
    CHECK(drv.at<uint16_t>(b)[1] == 0xBEEF);
    CHECK(drv.at<uint16_t>(b)[3] == 0xBEEF);
    CHECK(drv.at<uint16_t>(b)[4] == 0x3344);  // b + 8: the 4-byte fill
    CHECK(drv.at<uint32_t>(b)[2] == 0x11223344);
    CHECK(drv.at<uint32_t>(b)[3] == 0x11223344);
    CHECK(drv.at<uint32_t>(b)[4] == 0);
    // Timestamps: ordered, within each packet and across packets.
    CHECK(drv.signal(s1).start_ts <= drv.signal(s1).end_ts);
    CHECK(drv.signal(s1).end_ts <= drv.signal(s4).start_ts);
    CHECK(drv.signal(s4).end_ts > 0);
    // The consumed slots are INVALID again and READ_INDEX moved.
    CHECK(d.read64(T1_REG_QUEUE(0) + T1_QREG_READ_INDEX) == 3);
    CHECK(T1_PKT_TYPE(*drv.at<uint16_t>(d.read64(T1_REG_QUEUE(0) + T1_QREG_RING_BASE))) ==
          T1_PKT_TYPE_INVALID);
  }

  SECTION("DMA copy across pages and through host windows") {
    for (uint32_t i = 0; i < 3 * T1_PAGE_SIZE; ++i) *drv.at<uint8_t>(a + i) = uint8_t(i * 13 + 5);
    alignas(4096) static uint8_t host[3 * 4096];
    std::memset(host, 0, sizeof host);
    const uint64_t hp = d.map_host_window(host, sizeof host);
    const uint64_t hva = 0x7000000000ull;
    drv.map(0, hva, hp, sizeof host);
    uint64_t s1 = drv.new_signal(), s2 = drv.new_signal();
    drv.submit(0, copy_packet(b + 100, a + 7, 9000, s1));
    drv.submit(0, copy_packet(hva + 3, b + 100, 8000, s2, T1_PKT_BARRIER));
    REQUIRE(drv.wait(s2));
    CHECK(drv.signal(s1).status == 0);
    CHECK(drv.signal(s2).status == 0);
    CHECK(std::memcmp(drv.mem(b + 100), drv.mem(a + 7), 9000) == 0);
    CHECK(*drv.at<uint8_t>(b + 99) == 0);
    CHECK(*drv.at<uint8_t>(b + 9100) == 0);
    CHECK(std::memcmp(host + 3, drv.mem(a + 7), 8000) == 0);
    CHECK(host[2] == 0);
    CHECK(host[8003] == 0);
    // And back from host memory.
    host[5000] = 0xEE;
    uint64_t s3 = drv.new_signal();
    drv.submit(0, copy_packet(a, hva + 5000, 1, s3));
    REQUIRE(drv.wait(s3));
    CHECK(*drv.at<uint8_t>(a) == 0xEE);
    d.unmap_host_window(hp);
  }

  SECTION("signal operations and timestamps") {
    const uint64_t t = drv.new_signal(10);
    const uint64_t done = drv.new_signal();
    drv.submit(0, signal_packet(T1_SIGNAL_OP_ADD, t, 5));
    drv.submit(0, signal_packet(T1_SIGNAL_OP_SUB, t, 3));
    drv.submit(0, timestamp_packet(a + 8));
    drv.submit(0, timestamp_packet(a + 16, done));
    REQUIRE(drv.wait(done));
    CHECK(drv.signal_value(t) == 12);
    CHECK(drv.signal(t).status == 0);
    CHECK(drv.signal(t).end_ts == 0);  // SIGNAL touches only the value
    const uint64_t ts1 = *drv.at<uint64_t>(a + 8), ts2 = *drv.at<uint64_t>(a + 16);
    CHECK(ts1 > 0);
    CHECK(ts2 >= ts1);
    CHECK(ts2 >= drv.signal(done).start_ts);
    CHECK(ts2 <= drv.signal(done).end_ts);
    CHECK(ts2 <= d.read64(T1_REG_TIMESTAMP));
    const uint64_t done2 = drv.new_signal();
    drv.submit(0, signal_packet(T1_SIGNAL_OP_WRITE, t, -4, done2));
    REQUIRE(drv.wait(done2));
    CHECK(drv.signal_value(t) == -4);
  }
}

TEST_CASE("the doorbell register sets WRITE_INDEX and wakes the device", "[device][packets]") {
  DeviceConfig c = small_config();
  c.queues = 4;
  Device d(c);
  TestDriver drv(d);
  drv.setup_queue(1);
  const uint64_t buf = drv.alloc_mapped(T1_PAGE_SIZE);
  const uint64_t s1 = drv.new_signal(), s2 = drv.new_signal();
  drv.submit(1, timestamp_packet(buf, s1), /*mmio_doorbell=*/true);
  drv.submit(1, timestamp_packet(buf + 8, s2), /*mmio_doorbell=*/true);
  REQUIRE(drv.wait(s2));
  CHECK(drv.wait(s1));
  CHECK(d.read64(T1_REG_QUEUE(1) + T1_QREG_WRITE_INDEX) == 2);
  CHECK(d.read64(T1_REG_QUEUE(1) + T1_QREG_READ_INDEX) == 2);
  CHECK(*drv.at<uint64_t>(buf + 8) >= *drv.at<uint64_t>(buf));
  // A doorbell for a queue the device does not have is ignored.
  d.write64(T1_REG_DOORBELL(10), 5);
  CHECK(d.read64(T1_REG_QUEUE(10) + T1_QREG_WRITE_INDEX) == 0);
}

TEST_CASE("deterministic mode gives an exact timestamp counter", "[device][packets]") {
  DeviceConfig c = small_config();
  c.deterministic = true;
  Device d(c);
  TestDriver drv(d);
  drv.setup_queue(0);
  const uint64_t buf = drv.alloc_mapped(T1_PAGE_SIZE);
  const uint64_t s1 = drv.new_signal(), s2 = drv.new_signal();
  drv.submit(0, timestamp_packet(buf, s1));
  drv.submit(0, timestamp_packet(buf + 8, s2));
  REQUIRE(drv.wait(s2));
  CHECK(drv.signal(s1).start_ts == 1000);
  CHECK(*drv.at<uint64_t>(buf) == 1000);
  CHECK(drv.signal(s1).end_ts == 2000);
  CHECK(drv.signal(s2).start_ts == 3000);
  CHECK(*drv.at<uint64_t>(buf + 8) == 3000);
  CHECK(drv.signal(s2).end_ts == 4000);
  CHECK(d.read64(T1_REG_TIMESTAMP) == 4000);
}

TEST_CASE("BARRIER_AND waits for a signal the host sets later", "[device][ordering]") {
  Device d(small_config());
  TestDriver drv(d);
  drv.setup_queue(0);
  const uint64_t buf = drv.alloc_mapped(T1_PAGE_SIZE);
  const uint64_t dep = drv.new_signal(1), dep2 = drv.new_signal(0);
  const uint64_t bar = drv.new_signal(), after = drv.new_signal();
  drv.submit(0, barrier_and_packet({dep, dep2}, bar));
  drv.submit(0, fill_packet(buf, 64, 0x77, 1, after, T1_PKT_BARRIER));
  std::this_thread::sleep_for(50ms);
  CHECK(drv.signal_value(bar) == 1);
  CHECK(drv.signal_value(after) == 1);
  CHECK(*drv.at<uint8_t>(buf) == 0);
  CHECK((drv.queue_status(0) & T1_QSTATUS_BUSY) != 0);
  drv.set_signal(dep, 0);
  REQUIRE(drv.wait(after));
  CHECK(drv.signal_value(bar) == 0);
  CHECK(drv.signal(bar).status == 0);
  CHECK(*drv.at<uint8_t>(buf + 63) == 0x77);
  CHECK(drv.signal(bar).end_ts <= drv.signal(after).start_ts);

  SECTION("an error status on a dependency propagates") {
    const uint64_t failed = drv.new_signal(1);
    drv.signal(failed).status = T1_FAULT_PERMISSION;
    drv.set_signal(failed, 0);
    const uint64_t bar2 = drv.new_signal();
    drv.submit(0, barrier_and_packet({failed}, bar2));
    REQUIRE(drv.wait(bar2));
    CHECK(drv.signal(bar2).status == T1_FAULT_PERMISSION);
  }
}

TEST_CASE("a blocked queue does not stall another queue", "[device][ordering]") {
  Device d(small_config());
  TestDriver drv(d);
  drv.setup_queue(0);
  drv.setup_queue(1);
  const uint64_t buf = drv.alloc_mapped(T1_PAGE_SIZE);
  const uint64_t never = drv.new_signal(1), blocked = drv.new_signal(), other = drv.new_signal();
  drv.submit(0, barrier_and_packet({never}, blocked));
  drv.submit(1, fill_packet(buf, 16, 0x42, 1, other));
  REQUIRE(drv.wait(other, 5000ms));
  CHECK(*drv.at<uint8_t>(buf + 15) == 0x42);
  CHECK(drv.signal_value(blocked) == 1);
  // Queue 1 can go on doing work while queue 0 waits; queue 0 then finishes.
  const uint64_t other2 = drv.new_signal();
  drv.submit(1, signal_packet(T1_SIGNAL_OP_WRITE, never, 0, other2));
  REQUIRE(drv.wait(blocked));
  CHECK(drv.signal_value(other2) == 0);
}

TEST_CASE("interrupts wait for DRIVER_READY and honour the mask", "[device][irq]") {
  Device d(small_config());
  std::mutex m;
  std::vector<uint32_t> got;
  d.set_interrupt_handler([&](uint32_t v) {
    std::lock_guard lock(m);
    got.push_back(v);
  });
  auto vectors = [&] {
    std::lock_guard lock(m);
    return got;
  };
  TestDriver drv(d);
  drv.setup_queue(3);
  d.write32(T1_REG_INT_MASK, T1_INT_BIT(T1_VEC_QUEUE_COMPLETION) | T1_INT_BIT(T1_VEC_QUEUE_ERROR));
  const uint64_t s = drv.new_signal();
  drv.submit(3, signal_packet(T1_SIGNAL_OP_ADD, drv.new_signal(0), 1, s, T1_PKT_INTERRUPT));
  REQUIRE(drv.wait(s));
  std::this_thread::sleep_for(10ms);
  CHECK(vectors().empty());  // not ready yet
  CHECK(d.read32(T1_REG_INT_STATUS) == T1_INT_BIT(T1_VEC_QUEUE_COMPLETION));
  CHECK(d.read64(T1_REG_QUEUE_INT_STATUS) == (1ull << 3));

  d.write32(T1_REG_CONTROL, T1_CONTROL_ENABLE | T1_CONTROL_DRIVER_READY);
  CHECK(vectors() == std::vector<uint32_t>{T1_VEC_QUEUE_COMPLETION});
  d.write32(T1_REG_INT_STATUS, T1_INT_BIT(T1_VEC_QUEUE_COMPLETION));  // W1C
  d.write64(T1_REG_QUEUE_INT_STATUS, 1ull << 3);
  CHECK(d.read32(T1_REG_INT_STATUS) == 0);
  CHECK(d.read64(T1_REG_QUEUE_INT_STATUS) == 0);

  // A packet without the INTERRUPT bit raises nothing.
  const uint64_t s2 = drv.new_signal();
  drv.submit(3, timestamp_packet(drv.alloc_mapped(T1_PAGE_SIZE), s2));
  REQUIRE(drv.wait(s2));
  std::this_thread::sleep_for(5ms);
  CHECK(vectors().size() == 1);

  // A bad packet: vector 2 (enabled) is delivered, vector 1 (masked) only pending.
  union t1_packet bad{};
  bad.header = 0x7F;
  drv.submit(3, bad);
  REQUIRE(TestDriver::wait_for([&] { return vectors().size() == 2; }));
  CHECK(vectors()[1] == T1_VEC_QUEUE_ERROR);
  CHECK(d.read32(T1_REG_INT_STATUS) ==
        (T1_INT_BIT(T1_VEC_QUEUE_ERROR) | T1_INT_BIT(T1_VEC_FAULT)));
  d.write32(T1_REG_INT_MASK, 0xF);  // unmasking delivers the pending fault vector
  CHECK(vectors().size() == 3);
  CHECK(vectors()[2] == T1_VEC_FAULT);
}

TEST_CASE("malformed packets and unreachable queues give clear errors", "[device][errors]") {
  Device d(small_config());
  TestDriver drv(d);
  drv.setup_queue(0);
  drv.setup_queue(1);

  SECTION("unknown packet type") {
    const uint64_t s = drv.new_signal();
    union t1_packet p{};
    p.header = 0x33;
    p.raw[7] = s;
    const uint64_t idx = drv.submit(0, p);
    REQUIRE(drv.wait(s));
    CHECK(drv.signal(s).status == T1_FAULT_BAD_PACKET);
    REQUIRE(TestDriver::wait_for([&] { return (drv.queue_status(0) & T1_QSTATUS_ERROR) != 0; }));
    CHECK(T1_QSTATUS_CAUSE(drv.queue_status(0)) == T1_FAULT_BAD_PACKET);
    CHECK((drv.queue_status(0) & T1_QSTATUS_ACTIVE) == 0);
    CHECK(d.read64(T1_REG_QUEUE(0) + T1_QREG_ERROR_INDEX) == idx);
    REQUIRE(d.read32(T1_REG_FAULT_COUNT) == 1);
    const t1_fault_record r = drv.fault(0);
    CHECK(r.cause == T1_FAULT_BAD_PACKET);
    CHECK(r.queue == 0);
    CHECK(r.packet_index == idx);
    CHECK((r.flags & T1_FAULT_FLAG_VALID) != 0);
    CHECK(r.sequence == 0);
    CHECK((d.read32(T1_REG_STATUS) & T1_STATUS_FAULT) != 0);
    d.write32(T1_REG_FAULT_ACK, 1);
    CHECK((d.read32(T1_REG_STATUS) & T1_STATUS_FAULT) == 0);

    // The queue stays stopped: a later packet does not run.
    const uint64_t s2 = drv.new_signal();
    drv.submit(0, signal_packet(T1_SIGNAL_OP_WRITE, drv.new_signal(), 0, s2));
    std::this_thread::sleep_for(20ms);
    CHECK(drv.signal_value(s2) == 1);
    // Disabling clears the error; re-enabling continues after the bad packet.
    d.write32(T1_REG_QUEUE(0) + T1_QREG_CONTROL, 0);
    CHECK((drv.queue_status(0) & T1_QSTATUS_ERROR) == 0);
    d.write32(T1_REG_QUEUE(0) + T1_QREG_CONTROL, T1_QCTL_ENABLE);
    REQUIRE(drv.wait(s2));
    CHECK(drv.signal(s2).status == 0);
  }

  SECTION("bad fields in known packets") {
    const uint64_t buf = drv.alloc_mapped(T1_PAGE_SIZE);
    struct Case {
      union t1_packet p;
      uint32_t cause;
    };
    union t1_packet dispatch_zero{};
    dispatch_zero.dispatch.header = T1_PKT_TYPE_KERNEL_DISPATCH;
    dispatch_zero.dispatch.block_x = 0;
    dispatch_zero.dispatch.block_y = dispatch_zero.dispatch.block_z = 1;
    dispatch_zero.dispatch.grid_x = dispatch_zero.dispatch.grid_y = dispatch_zero.dispatch.grid_z = 1;
    dispatch_zero.dispatch.entry = 0x1000;
    union t1_packet dispatch_big = dispatch_zero;
    dispatch_big.dispatch.block_x = 512;  // > 256 threads per tile
    union t1_packet dispatch_karg = dispatch_zero;
    dispatch_karg.dispatch.block_x = 32;
    dispatch_karg.dispatch.kernarg = 0x6660000000ull;  // unmapped
    union t1_packet reserved_bit = fill_packet(buf, 4, 0, 1);
    reserved_bit.header |= 0x8000;
    union t1_packet signal_reserved = signal_packet(T1_SIGNAL_OP_ADD, buf, 1);
    signal_reserved.signal.reserved1[2] = 1;
    union t1_packet timestamp_reserved = timestamp_packet(buf);
    timestamp_reserved.timestamp.reserved2[0] = 1;
    const Case cases[] = {
        {dispatch_zero, T1_FAULT_BAD_PACKET},
        {dispatch_big, T1_FAULT_BAD_PACKET},
        {dispatch_karg, T1_FAULT_QUEUE_MEMORY},
        {fill_packet(buf, 6, 0, 4), T1_FAULT_BAD_PACKET},   // size not a multiple of width
        {fill_packet(buf, 4, 0, 3), T1_FAULT_BAD_PACKET},   // width 3
        {signal_packet(7, buf, 0), T1_FAULT_BAD_PACKET},    // no such op
        {timestamp_packet(buf + 4), T1_FAULT_BAD_PACKET},   // misaligned
        {reserved_bit, T1_FAULT_BAD_PACKET},
        {copy_packet(0x6660000000ull, buf, 8), T1_FAULT_UNMAPPED},
        {fill_packet(drv.alloc_mapped(T1_PAGE_SIZE, 0, T1_PTE_R), 8, 0, 1), T1_FAULT_PERMISSION},
        {signal_reserved, T1_FAULT_BAD_PACKET},     // every reserved field is checked
        {timestamp_reserved, T1_FAULT_BAD_PACKET},
    };
    uint32_t n = 0;
    for (const Case& c : cases) {
      INFO("case " << n);
      d.write32(T1_REG_QUEUE(0) + T1_QREG_CONTROL, 0);
      d.write32(T1_REG_QUEUE(0) + T1_QREG_CONTROL, T1_QCTL_ENABLE);
      const uint64_t s = drv.new_signal();
      union t1_packet p = c.p;
      p.raw[7] = s;
      drv.submit(0, p);
      REQUIRE(drv.wait(s));
      CHECK(drv.signal(s).status == c.cause);
      REQUIRE(TestDriver::wait_for([&] { return d.read32(T1_REG_FAULT_COUNT) == n + 1; }));
      CHECK(drv.fault(n).cause == c.cause);
      CHECK(T1_QSTATUS_CAUSE(drv.queue_status(0)) == c.cause);
      ++n;
    }
    CHECK(drv.fault(8).address == 0x6660000000ull);
    CHECK(drv.fault(8).access == T1_ACCESS_WRITE);
  }

  SECTION("ring and signal addresses that do not translate") {
    drv.setup_queue_at(2, 0x6000000000ull, 16, 0);  // ring not mapped
    d.write64(T1_REG_QUEUE(2) + T1_QREG_WRITE_INDEX, 1);
    d.ring_doorbell(2);
    REQUIRE(TestDriver::wait_for([&] { return (drv.queue_status(2) & T1_QSTATUS_ERROR) != 0; }));
    CHECK(T1_QSTATUS_CAUSE(drv.queue_status(2)) == T1_FAULT_QUEUE_MEMORY);
    CHECK(drv.fault(0).cause == T1_FAULT_QUEUE_MEMORY);
    CHECK(drv.fault(0).address == 0x6000000000ull);
    CHECK(drv.fault(0).queue == 2);

    drv.submit(1, fill_packet(drv.alloc_mapped(T1_PAGE_SIZE), 8, 0, 1, 0x6100000000ull));
    REQUIRE(TestDriver::wait_for([&] { return (drv.queue_status(1) & T1_QSTATUS_ERROR) != 0; }));
    CHECK(drv.fault(1).cause == T1_FAULT_QUEUE_MEMORY);
    CHECK(drv.fault(1).address == 0x6100000000ull);

    // A queue whose ring size is not a power of two.
    drv.setup_queue_at(4, drv.alloc_mapped(T1_PAGE_SIZE), 3, 0);
    REQUIRE(TestDriver::wait_for([&] { return (drv.queue_status(4) & T1_QSTATUS_ERROR) != 0; }));
    CHECK(T1_QSTATUS_CAUSE(drv.queue_status(4)) == T1_FAULT_QUEUE_MEMORY);

    // Queue 0 is unaffected by all of this.
    const uint64_t s = drv.new_signal();
    drv.submit(0, signal_packet(T1_SIGNAL_OP_WRITE, drv.new_signal(), 0, s));
    REQUIRE(drv.wait(s));
    CHECK(drv.signal(s).status == 0);
  }
}

TEST_CASE("fault ring wraps and keeps sequence numbers", "[device][errors]") {
  Device d(small_config());
  TestDriver drv(d);
  drv.setup_queue(0);
  for (uint32_t i = 0; i < T1_FAULT_RING_ENTRIES + 3; ++i) {
    d.write32(T1_REG_QUEUE(0) + T1_QREG_CONTROL, 0);
    d.write32(T1_REG_QUEUE(0) + T1_QREG_CONTROL, T1_QCTL_ENABLE);
    union t1_packet p{};
    p.header = 0x40;
    drv.submit(0, p);
    REQUIRE(TestDriver::wait_for([&] { return d.read32(T1_REG_FAULT_COUNT) == i + 1; }));
  }
  CHECK(drv.fault(T1_FAULT_RING_ENTRIES + 2).sequence == T1_FAULT_RING_ENTRIES + 2);
  CHECK(drv.fault(2).sequence == T1_FAULT_RING_ENTRIES + 2);  // same slot
  CHECK(drv.fault(3).sequence == 3);
}

TEST_CASE("peer DMA crosses a link and counts bytes", "[device][fabric]") {
  DeviceConfig c = small_config();
  c.link_latency_ns = 200000;  // 200 us: measurable
  c.link_bandwidth_mbps = 1000;
  Fabric f({c, c, c});
  REQUIRE(f.size() == 3);
  Device& d0 = f.device(0);
  Device& d1 = f.device(1);
  CHECK(d0.read32(T1_REG_NUM_LINKS) == 2);
  CHECK(d1.read32(T1_REG_DEVICE_INDEX) == 1);
  const int l01 = f.link_between(0, 1), l10 = f.link_between(1, 0);
  REQUIRE(l01 >= 0);
  REQUIRE(l10 >= 0);
  CHECK(d0.read32(T1_REG_LINK(l01) + T1_LREG_PEER_DEVICE) == 1);
  CHECK(d0.read32(T1_REG_LINK(l01) + T1_LREG_STATUS) == T1_LINK_STATUS_UP);
  CHECK(d0.read32(T1_REG_LINK(l01) + T1_LREG_LATENCY_NS) == 200000);
  CHECK(d0.read32(T1_REG_LINK(l01) + T1_LREG_BANDWIDTH_MBPS) == 1000);
  CHECK(d0.read32(T1_REG_LINK(2) + T1_LREG_PEER_DEVICE) == T1_LINK_NO_PEER);

  TestDriver drv0(d0), drv1(d1);
  drv0.setup_queue(0);
  const uint64_t src = drv0.alloc_mapped(2 * T1_PAGE_SIZE);
  drv1.alloc_mapped(T1_PAGE_SIZE, 2);  // context 2 on the peer, a different VA
  const uint64_t dst_pa = drv1.alloc(2 * T1_PAGE_SIZE);
  const uint64_t dst_va = 0x4400000000ull;
  drv1.map(2, dst_va, dst_pa, 2 * T1_PAGE_SIZE);
  for (uint32_t i = 0; i < 6000; ++i) *drv0.at<uint8_t>(src + i) = uint8_t(i * 3 + 1);

  const uint64_t s = drv0.new_signal();
  union t1_packet p = copy_packet(dst_va + 10, src, 6000, s);
  p.copy.flags = T1_DMA_FLAG_PEER;
  p.copy.peer_device = 1;
  p.copy.peer_context = 2;
  drv0.submit(0, p);
  REQUIRE(drv0.wait(s));
  CHECK(drv0.signal(s).status == 0);
  CHECK(std::memcmp(drv1.mem(dst_pa + 10), drv0.mem(src), 6000) == 0);
  CHECK(*drv1.at<uint8_t>(dst_pa + 9) == 0);
  CHECK(d0.read64(T1_REG_LINK(l01) + T1_LREG_BYTES_TX) == 6000);
  CHECK(d1.read64(T1_REG_LINK(l10) + T1_LREG_BYTES_RX) == 6000);
  CHECK(d1.read64(T1_REG_LINK(l10) + T1_LREG_BYTES_TX) == 0);
  // 200 us latency + 6000 B at 1000 MB/s (6 us).
  CHECK(drv0.signal(s).end_ts - drv0.signal(s).start_ts >= 206000);

  SECTION("a fault on the peer side names the peer address") {
    const uint64_t s2 = drv0.new_signal();
    union t1_packet q = p;
    q.copy.dst = 0x4500000000ull;
    q.copy.completion_signal = s2;
    drv0.submit(0, q);
    REQUIRE(drv0.wait(s2));
    CHECK(drv0.signal(s2).status == T1_FAULT_UNMAPPED);
    CHECK(drv0.fault(0).address == 0x4500000000ull);
  }
}

TEST_CASE("peer DMA without a direct link is refused", "[device][fabric]") {
  DeviceConfig c = small_config();
  c.memory_bytes = 16ull << 20;
  Fabric f({c, c, c, c}, Fabric::Topology::kRing);
  CHECK(f.link_between(0, 2) < 0);
  CHECK(f.link_between(0, 1) >= 0);
  CHECK(f.link_between(0, 3) >= 0);
  TestDriver drv(f.device(0));
  drv.setup_queue(0);
  const uint64_t s = drv.new_signal();
  union t1_packet p = copy_packet(0x1000, drv.alloc_mapped(T1_PAGE_SIZE), 8, s);
  p.copy.flags = T1_DMA_FLAG_PEER;
  p.copy.peer_device = 2;
  drv.submit(0, p);
  REQUIRE(drv.wait(s));
  CHECK(drv.signal(s).status == T1_FAULT_BAD_PACKET);
}

TEST_CASE("a 12-chip fabric caps links at 7 per chip", "[device][fabric]") {
  DeviceConfig c = small_config();
  c.memory_bytes = 2ull << 20;
  c.queues = 1;
  Fabric f(std::vector<DeviceConfig>(12, c));
  for (uint32_t i = 0; i < 12; ++i) {
    CHECK(f.peers(i).size() == 6);
    CHECK(f.device(i).read32(T1_REG_NUM_LINKS) == 6);
  }
  CHECK(f.link_between(0, 3) >= 0);
  CHECK(f.link_between(0, 9) >= 0);
  CHECK(f.link_between(0, 6) < 0);
}

TEST_CASE("reset aborts work, stops queues and keeps memory", "[device][reset]") {
  Device d(small_config());
  TestDriver drv(d);
  const uint64_t ring = drv.setup_queue(0);
  d.write32(T1_REG_INT_MASK, 0xF);
  const uint64_t buf = drv.alloc_mapped(T1_PAGE_SIZE);
  *drv.at<uint32_t>(buf) = 0xCAFE;
  const uint64_t never = drv.new_signal(1), blocked = drv.new_signal();
  drv.submit(0, barrier_and_packet({never}, blocked));
  REQUIRE(TestDriver::wait_for([&] { return (drv.queue_status(0) & T1_QSTATUS_BUSY) != 0; }));
  d.write32(T1_REG_RESET, 1);
  CHECK(d.read32(T1_REG_RESET) == 0);
  CHECK(drv.queue_status(0) == 0);
  CHECK(d.read32(T1_REG_QUEUE(0) + T1_QREG_CONTROL) == 0);
  CHECK(d.read32(T1_REG_HANDSHAKE) == 0);
  CHECK(d.read32(T1_REG_CONTROL) == 0);
  CHECK(d.read32(T1_REG_INT_MASK) == 0);
  CHECK(d.read32(T1_REG_FAULT_COUNT) == 0);
  CHECK(d.read32(T1_REG_SIGNATURE) == T1_SIGNATURE);  // identification stays
  CHECK(drv.signal_value(blocked) == 1);              // aborted work signals nothing
  CHECK(*drv.at<uint32_t>(buf) == 0xCAFE);            // memory is kept

  // The device works again after a new handshake and queue set-up.
  TestDriver again(d);
  drv.setup_queue_at(0, ring, 16, 0);
  CHECK(d.read64(T1_REG_QUEUE(0) + T1_QREG_READ_INDEX) == 0);
  const uint64_t s = drv.new_signal();
  drv.submit(0, signal_packet(T1_SIGNAL_OP_WRITE, never, 0, s));
  REQUIRE(drv.wait(s));
  CHECK(drv.signal_value(never) == 0);
}

TEST_CASE("DeviceConfig::from_env reads TESSERA_EMU_ variables", "[device][config]") {
  setenv("TESSERA_EMU_TILES", "4", 1);
  setenv("TESSERA_EMU_MEMORY", "1G", 1);
  setenv("TESSERA_EMU_SCRATCHPAD", "64K", 1);
  setenv("TESSERA_EMU_DETERMINISTIC", "1", 1);
  setenv("TESSERA_EMU_WATCHDOG_MS", "250", 1);
  DeviceConfig c = DeviceConfig::from_env();
  CHECK(c.tiles == 4);
  CHECK(c.memory_bytes == (1ull << 30));
  CHECK(c.scratchpad_bytes == 65536);
  CHECK(c.deterministic);
  CHECK(c.watchdog_ms == 250);
  CHECK(c.threads_per_tile == 1024);
  setenv("TESSERA_EMU_MEMORY", "12Q", 1);
  CHECK_THROWS_WITH(DeviceConfig::from_env(), Catch::Contains("TESSERA_EMU_MEMORY"));
  setenv("TESSERA_EMU_MEMORY", "3M", 1);  // not a multiple of 2 MiB
  CHECK_THROWS_AS(DeviceConfig::from_env(), std::invalid_argument);
  for (const char* v : {"TESSERA_EMU_TILES", "TESSERA_EMU_MEMORY", "TESSERA_EMU_SCRATCHPAD",
                        "TESSERA_EMU_DETERMINISTIC", "TESSERA_EMU_WATCHDOG_MS"})
    unsetenv(v);
}

TEST_CASE("rings wrap, and a header written after WRITE_INDEX is waited for", "[device][queues]") {
  Device d(small_config());
  TestDriver drv(d);
  const uint64_t ring = drv.setup_queue(0, 4);
  const uint64_t t = drv.new_signal(0);
  for (int i = 0; i < 10; ++i) {
    const uint64_t s = drv.new_signal();
    drv.submit(0, signal_packet(T1_SIGNAL_OP_ADD, t, i + 1, s));
    REQUIRE(drv.wait(s));
  }
  CHECK(drv.signal_value(t) == 55);
  CHECK(d.read64(T1_REG_QUEUE(0) + T1_QREG_READ_INDEX) == 10);

  // Index 10 lands in slot 2. Publish the index first, the header later.
  const uint64_t s = drv.new_signal();
  union t1_packet p = signal_packet(T1_SIGNAL_OP_WRITE, t, 7, s);
  uint8_t* slot = drv.mem(ring + 2 * T1_PACKET_SIZE);
  std::memcpy(slot + 2, reinterpret_cast<uint8_t*>(&p) + 2, T1_PACKET_SIZE - 2);
  d.write64(T1_REG_QUEUE(0) + T1_QREG_WRITE_INDEX, 11);
  d.ring_doorbell(0);
  std::this_thread::sleep_for(20ms);
  CHECK(drv.signal_value(t) == 55);
  CHECK((drv.queue_status(0) & T1_QSTATUS_ERROR) == 0);
  std::atomic_ref<uint16_t>(*reinterpret_cast<uint16_t*>(slot)).store(p.header, std::memory_order_release);
  d.ring_doorbell(0);
  REQUIRE(drv.wait(s));
  CHECK(drv.signal_value(t) == 7);
}

TEST_CASE("signals and rings may live in host windows", "[device][queues]") {
  Device d(small_config());
  TestDriver drv(d);
  alignas(4096) static uint8_t host[2 * 4096];
  std::memset(host, 0, sizeof host);
  const uint64_t hp = d.map_host_window(host, sizeof host);
  const uint64_t hva = 0x7100000000ull;
  drv.map(0, hva, hp, sizeof host);
  drv.setup_queue(0);
  auto* sig = reinterpret_cast<t1_signal*>(host + 4096);
  sig->value = 2;
  const uint64_t buf = drv.alloc_mapped(T1_PAGE_SIZE);
  drv.submit(0, fill_packet(buf, 8, 0xAB, 1, hva + 4096));
  drv.submit(0, timestamp_packet(hva + 64, hva + 4096));
  REQUIRE(TestDriver::wait_for([&] {
    return std::atomic_ref<int64_t>(sig->value).load(std::memory_order_acquire) == 0;
  }));
  CHECK(sig->status == 0);
  CHECK(sig->end_ts >= sig->start_ts);
  const uint64_t ts = *reinterpret_cast<uint64_t*>(host + 64);
  CHECK(ts >= sig->start_ts);  // the last completion (the timestamp packet) wrote them
  CHECK(ts <= sig->end_ts);
  CHECK(*drv.at<uint8_t>(buf + 7) == 0xAB);
  d.unmap_host_window(hp);
}

TEST_CASE("disable waits for running work; re-enable continues", "[device][queues]") {
  Device d(small_config());
  TestDriver drv(d);
  drv.setup_queue(0);
  const uint64_t dep = drv.new_signal(1), bar = drv.new_signal();
  drv.submit(0, barrier_and_packet({dep}, bar));
  REQUIRE(TestDriver::wait_for([&] { return (drv.queue_status(0) & T1_QSTATUS_BUSY) != 0; }));
  // Disable and re-enable at once: the aborted barrier reports ABORTED and
  // the new enable is ACTIVE and keeps going from READ_INDEX.
  d.write32(T1_REG_QUEUE(0) + T1_QREG_CONTROL, 0);
  d.write32(T1_REG_QUEUE(0) + T1_QREG_CONTROL, T1_QCTL_ENABLE);
  REQUIRE(drv.wait(bar));
  CHECK(drv.signal(bar).status == T1_FAULT_ABORTED);
  std::this_thread::sleep_for(5ms);
  CHECK(drv.queue_status(0) == T1_QSTATUS_ACTIVE);
  const uint64_t s = drv.new_signal();
  drv.submit(0, signal_packet(T1_SIGNAL_OP_WRITE, dep, 0, s));
  REQUIRE(drv.wait(s));
  CHECK(drv.signal_value(dep) == 0);
  // Disabled and idle: ACTIVE clears; READ_INDEX may then be rewound.
  d.write32(T1_REG_QUEUE(0) + T1_QREG_CONTROL, 0);
  REQUIRE(TestDriver::wait_for([&] { return drv.queue_status(0) == 0; }));
  d.write64(T1_REG_QUEUE(0) + T1_QREG_READ_INDEX, 2);
  CHECK(d.read64(T1_REG_QUEUE(0) + T1_QREG_READ_INDEX) == 2);
}

TEST_CASE("invalid configurations are refused with a reason", "[device][config]") {
  DeviceConfig c = small_config();
  c.memory_bytes = (1ull << 20) + 4096;
  CHECK_THROWS_WITH(Device(c), Catch::Contains("memory_bytes"));
  c = small_config();
  c.queues = 65;
  CHECK_THROWS_WITH(Device(c), Catch::Contains("queues"));
  c = small_config();
  c.threads_per_tile = 48;
  CHECK_THROWS_AS(Device(c), std::invalid_argument);
  CHECK_THROWS_AS(Fabric({}), std::invalid_argument);
}
