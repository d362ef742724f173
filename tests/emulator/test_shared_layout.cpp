// SPDX-License-Identifier: Apache-2.0
// The chip's shared memory: one memfd in the ivshmem BAR2 layout
// (tessera/hw/t1_ivshmem.h), and devices without host windows.
#include <catch2/catch.hpp>

#include <sys/mman.h>
#include <sys/stat.h>

#include <bit>
#include <cstring>

#include <tessera/emu/device.hpp>

using namespace tessera::emu;

namespace {

DeviceConfig small_config(uint64_t memory = 64ull << 20) {
  DeviceConfig c;
  c.tiles = 1;
  c.threads_per_tile = 64;
  c.memory_bytes = memory;
  c.host_threads = 1;
  return c;
}

struct Mapping {
  uint8_t* p = nullptr;
  size_t size = 0;
  Mapping(int fd, size_t n) : size(n) {
    void* m = ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    REQUIRE(m != MAP_FAILED);
    p = static_cast<uint8_t*>(m);
  }
  ~Mapping() { ::munmap(p, size); }
};

}  // namespace

TEST_CASE("device: one memfd holds the register page, the transport and memory", "[device]") {
  Device d(small_config());
  CHECK(d.memory_fd() == d.shared_fd());
  CHECK(d.shared_offset_of_memory() == T1_IVSHMEM_MEM_OFFSET);
  CHECK(d.shared_size() == 128ull << 20);
  struct stat st {};
  REQUIRE(::fstat(d.shared_fd(), &st) == 0);
  CHECK(static_cast<uint64_t>(st.st_size) == d.shared_size());

  Mapping bar(d.shared_fd(), d.shared_size());
  // The register page at 0, kept current by the chip.
  CHECK(std::memcmp(bar.p, "T1SS", 4) == 0);
  d.write32(T1_REG_DRV_VERSION, T1_HW_VERSION);
  uint32_t hs;
  std::memcpy(&hs, bar.p + T1_REG_HANDSHAKE, 4);
  CHECK(hs == (T1_HANDSHAKE_ACK | T1_HW_VERSION));
  // Device memory at T1_IVSHMEM_MEM_OFFSET: memory_base()[p] is physical p.
  d.memory_base()[0] = 0x11;
  d.memory_base()[d.memory_size() - 1] = 0x22;
  CHECK(bar.p[T1_IVSHMEM_MEM_OFFSET] == 0x11);
  CHECK(bar.p[T1_IVSHMEM_MEM_OFFSET + d.memory_size() - 1] == 0x22);
  bar.p[T1_IVSHMEM_MEM_OFFSET + 0x3000] = 0x33;
  CHECK(d.memory_base()[0x3000] == 0x33);
  // The transport block, zeroed, for the server to fill.
  CHECK(d.transport()->magic == 0);
  d.transport()->heartbeat = 77;
  uint64_t hb;
  std::memcpy(&hb, bar.p + T1_IVSHMEM_TRANSPORT_OFFSET + 0x20, 8);
  CHECK(hb == 77);
  // A reset clears registers, not the transport block.
  d.write32(T1_REG_RESET, 1);
  CHECK(d.transport()->heartbeat == 77);
  CHECK(d.read32(T1_REG_SIGNATURE) == T1_SIGNATURE);
}

TEST_CASE("device: the shared memory is a power of two for every size", "[device]") {
  for (uint64_t mib : {2, 62, 126, 254, 256, 1024}) {
    Device d(small_config(mib << 20));
    INFO(mib << " MiB");
    CHECK(std::has_single_bit(d.shared_size()));
    CHECK(d.shared_size() >= T1_IVSHMEM_MEM_OFFSET + d.memory_size());
    CHECK(d.shared_size() / 2 < T1_IVSHMEM_MEM_OFFSET + d.memory_size());
  }
}

TEST_CASE("device: a 96 GiB device is created lazily", "[device]") {
  Device d(small_config(96ull << 30));
  CHECK(d.memory_size() == 96ull << 30);
  CHECK(d.shared_size() == 128ull << 30);
  d.memory_base()[d.memory_size() - 1] = 0x5A;
  CHECK(d.memory_base()[d.memory_size() - 1] == 0x5A);
  struct stat st {};
  REQUIRE(::fstat(d.shared_fd(), &st) == 0);
  CHECK(st.st_blocks * 512 < (16 << 20));  // only what was touched is backed
  d.scrub(d.memory_size() - 4096, 4096);
  CHECK(d.memory_base()[d.memory_size() - 1] == 0);
}

TEST_CASE("device: scrub punches device memory, never the register page", "[device]") {
  Device d(small_config());
  d.transport()->reserved[6] = 0xFEEDull;
  std::memset(d.memory_base(), 0xCD, 1 << 20);
  struct stat before {};
  REQUIRE(::fstat(d.shared_fd(), &before) == 0);
  d.scrub(0x100, (1 << 20) - 0x200);  // partial first and last pages
  CHECK(d.memory_base()[0xFF] == 0xCD);
  CHECK(d.memory_base()[0x100] == 0);
  CHECK(d.memory_base()[0x5000] == 0);
  CHECK(d.memory_base()[(1 << 20) - 0x101] == 0);
  CHECK(d.memory_base()[(1 << 20) - 0x100] == 0xCD);
  struct stat after {};
  REQUIRE(::fstat(d.shared_fd(), &after) == 0);
  CHECK(after.st_blocks < before.st_blocks);  // whole pages went back to the host
  // The holes were punched in device memory, not at file offset 0.
  CHECK(d.read32(T1_REG_SIGNATURE) == T1_SIGNATURE);
  CHECK(d.read64(T1_REG_MEM_SIZE) == d.memory_size());
  CHECK(d.transport()->reserved[6] == 0xFEEDull);
  d.scrub(0, d.memory_size());
  CHECK(d.memory_base()[0xFF] == 0);
  CHECK(d.read32(T1_REG_SIGNATURE) == T1_SIGNATURE);
  CHECK(d.transport()->reserved[6] == 0xFEEDull);
}

TEST_CASE("device: host windows can be switched off", "[device]") {
  {
    Device d(small_config());
    CHECK((d.read64(T1_REG_CAPS) & T1_CAP_HOST_WINDOWS) != 0);
  }
  DeviceConfig c = small_config();
  c.host_windows = false;
  Device d(c);
  CHECK((d.read64(T1_REG_CAPS) & T1_CAP_HOST_WINDOWS) == 0);
  CHECK((d.read64(T1_REG_CAPS) & T1_CAP_EMULATED) != 0);
  alignas(4096) static uint8_t host[4096];
  CHECK_THROWS_AS(d.map_host_window(host, sizeof host), std::logic_error);
}
