// SPDX-License-Identifier: Apache-2.0
// SIMT engine tests: hand-written assembly kernels (kernels/*.S, assembled
// at build time) run on the engine over a flat test address space, and
// their results are compared with host references.
#include <catch2/catch.hpp>

#include <cfenv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <tessera/hw/t1_isa.h>

#include "fp/fp.hpp"
#include "run/flat_space.hpp"
#include "simt/engine.hpp"

using namespace tessera::emu;

namespace {

constexpr uint64_t kCodeBase = 0x10000000;  // kernels are linked here
constexpr uint64_t kDataBase = 0x20000000;
constexpr uint64_t kDataSize = 64ull << 20;

// Code pages are read/execute, data pages read/write, the rest unmapped
// (the flat space of bare programs, lazily backed).
class TestMemory : public AddressSpace {
 public:
  TestMemory() {
    space_.add_region(kCodeBase, 1 << 20, "code");
    space_.allow(kCodeBase, 1 << 20, T1_ACCESS_READ | T1_ACCESS_EXEC);
    space_.add_region(kDataBase, kDataSize, "data");
    space_.allow(kDataBase, kDataSize, T1_ACCESS_READ | T1_ACCESS_WRITE);
  }
  bool resolve(uint64_t va, uint8_t access, PageRef& out, uint32_t& cause) override {
    return space_.resolve(va, access, out, cause);
  }
  void load_code(const std::vector<uint8_t>& bin) {
    REQUIRE(bin.size() <= (1u << 20));
    std::memcpy(space_.host_range(kCodeBase, bin.size()), bin.data(), bin.size());
  }
  template <typename T>
  T* data(uint64_t va) {
    return reinterpret_cast<T*>(space_.host_range(va, sizeof(T)));
  }

 private:
  run::FlatAddressSpace space_;
};

std::vector<uint8_t> kernel_binary(const std::string& name) {
  const std::string path = std::string(TESSERA_SIMT_KERNEL_DIR) + "/simt_" + name + ".bin";
  std::ifstream f(path, std::ios::binary);
  REQUIRE(f.good());
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

// Kernel arguments live at kDataBase: [0] out, [1] aux, [2] selector.
constexpr uint64_t kArgs = kDataBase;
constexpr uint64_t kOut = kDataBase + 0x10000;
constexpr uint64_t kAux = kDataBase + 0x800000;

struct Fixture {
  TestMemory mem;
  explicit Fixture(const std::string& kernel, uint64_t selector = 0) {
    mem.load_code(kernel_binary(kernel));
    uint64_t* args = mem.data<uint64_t>(kArgs);
    args[0] = kOut;
    args[1] = kAux;
    args[2] = selector;
  }
  DispatchResult launch(Engine& e, Dim3 grid, Dim3 block, uint32_t shared = 0,
                        uint32_t dyn_offset = 0) {
    KernelLaunch L;
    L.grid = grid;
    L.block = block;
    L.entry = kCodeBase;
    L.kernarg = kArgs;
    L.shared_bytes = shared;
    L.dynshared_offset = dyn_offset;
    return e.run(L, mem);
  }
};

EngineConfig config(unsigned host_threads = 2, bool deterministic = false) {
  EngineConfig c;
  c.tiles = 4;
  c.host_threads = host_threads;
  c.deterministic = deterministic;
  return c;
}

uint64_t divergence_ref(uint64_t gid) {
  uint64_t acc = 0;
  const uint64_t n = gid % 7 + 3;
  for (uint64_t i = 0; i < n; ++i) {
    if (i & 1) {
      acc = (gid & 2) ? acc + i * gid : acc - i;
    } else {
      acc = (acc ^ i) << 1;
    }
  }
  return acc;
}

}  // namespace

TEST_CASE("divergent loops with nested branches reconverge and compute per-thread results") {
  Fixture fx("divergence");
  Engine e(config());
  // 3 blocks of 80 threads: the last warp of each block is partial.
  const auto r = fx.launch(e, {3, 1, 1}, {80, 1, 1});
  REQUIRE(r.ok);
  const uint64_t* out = fx.mem.data<uint64_t>(kOut);
  for (uint64_t gid = 0; gid < 240; ++gid) {
    INFO("gid " << gid);
    CHECK(out[gid] == divergence_ref(gid));
  }
  CHECK(r.thread_instructions > r.warp_instructions);
}

TEST_CASE("shared-memory tree reduction with block barriers") {
  Fixture fx("reduce");
  Engine e(config());
  const unsigned blocks = 6, threads = 256;
  const auto r = fx.launch(e, {blocks, 1, 1}, {threads, 1, 1}, threads * 8);
  REQUIRE(r.ok);
  const uint64_t* out = fx.mem.data<uint64_t>(kOut);
  for (uint64_t b = 0; b < blocks; ++b) {
    uint64_t sum = 0;
    for (uint64_t t = 0; t < threads; ++t) sum += (b * threads + t) * (b * threads + t);
    CHECK(out[b] == sum);
  }
}

TEST_CASE("reducing barriers count, and, or over the block") {
  Fixture fx("barrier_reduce");
  Engine e(config());
  const unsigned threads = 100;
  REQUIRE(fx.launch(e, {2, 1, 1}, {threads, 1, 1}).ok);
  const uint64_t* out = fx.mem.data<uint64_t>(kOut);
  for (unsigned gid = 0; gid < 2 * threads; ++gid) {
    CHECK(out[gid * 3 + 0] == 34);  // tid in 0..99 divisible by 3
    CHECK(out[gid * 3 + 1] == 1);
    CHECK(out[gid * 3 + 2] == 1);
  }
}

TEST_CASE("warp shuffles and votes") {
  Fixture fx("warp_ops");
  Engine e(config());
  REQUIRE(fx.launch(e, {1, 1, 1}, {64, 1, 1}).ok);
  const uint64_t* out = fx.mem.data<uint64_t>(kOut);
  auto v = [](uint64_t gid) { return gid * 7 + 1; };
  for (uint64_t gid = 0; gid < 64; ++gid) {
    const uint64_t lane = gid % 32, base = gid - lane;
    const uint64_t* o = out + gid * 8;
    INFO("gid " << gid);
    CHECK(o[0] == v(lane + 1 < 32 ? gid + 1 : gid));
    CHECK(o[1] == v(base + (lane ^ 3)));
    CHECK(o[2] == v(base + 5));
    CHECK(o[3] == v(lane >= 2 ? gid - 2 : gid));
    CHECK(o[4] == v(base + (lane & ~7ull) + 3));
    uint64_t ballot = 0;
    for (uint64_t l = 0; l < 32; ++l) ballot |= uint64_t{(base + l) % 3 == 0} << l;
    CHECK(o[5] == ballot);
    CHECK(o[6] == 1);
    CHECK(o[7] == (base == 0 ? 1u : 0u));
  }
}

TEST_CASE("a warp-synchronous shuffle waits for lanes on another path") {
  Fixture fx("divergent_shfl");
  Engine e(config());
  REQUIRE(fx.launch(e, {1, 1, 1}, {32, 1, 1}).ok);
  const uint64_t* out = fx.mem.data<uint64_t>(kOut);
  for (uint64_t l = 0; l < 32; ++l) {
    const uint64_t src = l ^ 1;
    CHECK(out[l] == src + 100 + ((src & 1) ? 2000 : 1000));
  }
}

TEST_CASE("atomics stay exact under contention from all tiles and host threads") {
  Fixture fx("atomics");
  Engine e(config(2));
  const unsigned blocks = 64, threads = 256, n = blocks * threads;
  uint64_t* c = fx.mem.data<uint64_t>(kAux);
  c[3] = 0;
  REQUIRE(fx.launch(e, {blocks, 1, 1}, {threads, 1, 1}).ok);
  uint64_t sum = 0, xr = 0;
  for (uint64_t g = 0; g < n; ++g) sum += g, xr ^= g;
  CHECK(static_cast<uint32_t>(c[0]) == n);
  CHECK(c[1] == sum);
  CHECK(static_cast<uint32_t>(c[2]) == n - 1);
  CHECK(static_cast<int64_t>(c[3]) == -static_cast<int64_t>(n - 1));
  CHECK(c[4] == 2ull * n);
  CHECK(c[5] == ~0ull);
  CHECK(static_cast<uint32_t>(c[6]) == static_cast<uint32_t>(xr));
  CHECK(static_cast<uint32_t>(c[7]) == 63);
}

TEST_CASE("lanes of one warp spinning on each other make progress") {
  Fixture fx("spin_wait");
  Engine e(config());
  REQUIRE(fx.launch(e, {1, 1, 1}, {32, 1, 1}).ok);
  const uint32_t* out = fx.mem.data<uint32_t>(kOut);
  CHECK(out[1] == 42);
  CHECK(out[0] == 43);
  CHECK(out[2] == 143);
}

TEST_CASE("identity CSRs, kernarg, stacks and the time CSR") {
  Fixture fx("csrs");
  EngineConfig cfg = config();
  cfg.device_id = 3;
  cfg.clock = [] { return uint64_t{123456789}; };  // the device's TIMESTAMP
  Engine e(cfg);
  KernelLaunch L;
  L.grid = {2, 3, 2};
  L.block = {4, 2, 5};  // 40 threads: two warps, the second partial
  L.entry = kCodeBase;
  L.kernarg = kArgs;
  L.shared_bytes = 256;
  L.dynshared_offset = 64;
  L.stack_base = kAux;
  L.stack_size = 1024;
  REQUIRE(e.run(L, fx.mem).ok);
  const uint64_t* out = fx.mem.data<uint64_t>(kOut);
  std::map<uint64_t, int> tiles;
  for (uint32_t bz = 0; bz < 2; ++bz)
    for (uint32_t by = 0; by < 3; ++by)
      for (uint32_t bx = 0; bx < 2; ++bx)
        for (uint32_t tz = 0; tz < 5; ++tz)
          for (uint32_t ty = 0; ty < 2; ++ty)
            for (uint32_t tx = 0; tx < 4; ++tx) {
              const uint64_t block = (bz * 3 + by) * 2 + bx;
              const uint64_t t = (tz * 2 + ty) * 4 + tx;
              const uint64_t* o = out + (block * 40 + t) * 21;
              INFO("block " << block << " thread " << t);
              CHECK(o[0] == tx);
              CHECK(o[1] == ty);
              CHECK(o[2] == tz);
              CHECK((o[3] == 4 && o[4] == 2 && o[5] == 5));
              CHECK((o[6] == bx && o[7] == by && o[8] == bz));
              CHECK((o[9] == 2 && o[10] == 3 && o[11] == 2));
              CHECK(o[12] == t % 32);
              CHECK(o[13] == t / 32);
              CHECK(o[14] == 2);
              CHECK(o[15] < 4);
              CHECK(o[16] == T1_SHARED_APERTURE_BASE + 64);
              CHECK(o[17] == 3);
              CHECK(o[18] == kAux + (o[15] * cfg.threads_per_tile + t + 1) * 1024);
              CHECK(o[19] == kArgs);
              CHECK(o[20] == 123456789);
            }
}

TEST_CASE("faults are precise and name the thread, pc, address and access") {
  const auto code = kernel_binary("faults");
  auto find = [&](uint32_t word) {
    for (size_t i = 0; i + 4 <= code.size(); i += 4) {
      uint32_t w;
      std::memcpy(&w, code.data() + i, 4);
      if (w == word) return kCodeBase + i;
    }
    FAIL("instruction not found");
    return uint64_t{0};
  };
  Engine e(config());

  SECTION("load from an unmapped address") {
    Fixture fx("faults", 0);
    const auto r = fx.launch(e, {4, 1, 1}, {32, 1, 1});
    REQUIRE_FALSE(r.ok);
    CHECK(r.fault.cause == T1_FAULT_UNMAPPED);
    CHECK(r.fault.access == T1_ACCESS_READ);
    CHECK(r.fault.address == 0xdead0000);
    CHECK(r.fault.block.x == 1);
    CHECK(r.fault.thread.x == 5);
    CHECK(r.fault.lane == 5);
    CHECK(r.fault.raw_insn == 0x0006b703);  // ld a4, 0(a3)
    CHECK(r.fault.pc == find(0x0006b703));
    CHECK_THAT(r.fault.describe(), Catch::Contains("unmapped") && Catch::Contains("0xdead0000") &&
                                       Catch::Contains("thread (5,0,0)"));
  }
  SECTION("store into read-only code") {
    Fixture fx("faults", 1);
    const auto r = fx.launch(e, {4, 1, 1}, {32, 1, 1});
    REQUIRE_FALSE(r.ok);
    CHECK(r.fault.cause == T1_FAULT_PERMISSION);
    CHECK(r.fault.access == T1_ACCESS_WRITE);
    CHECK(r.fault.address == kCodeBase);
    CHECK((r.fault.block.x == 2 && r.fault.thread.x == 6));
  }
  SECTION("illegal instruction") {
    Fixture fx("faults", 2);
    const auto r = fx.launch(e, {1, 1, 1}, {32, 1, 1});
    REQUIRE_FALSE(r.ok);
    CHECK(r.fault.cause == T1_FAULT_ILLEGAL_INSN);
    CHECK(r.fault.raw_insn == 0xffffffff);
    CHECK(r.fault.pc == find(0xffffffff));
  }
  SECTION("shared memory beyond the block's allocation") {
    Fixture fx("faults", 3);
    const auto r = fx.launch(e, {1, 1, 1}, {32, 1, 1}, 128, 64);
    REQUIRE_FALSE(r.ok);
    CHECK(r.fault.cause == T1_FAULT_SHARED_BOUNDS);
    CHECK(r.fault.address == T1_SHARED_APERTURE_BASE + 128);
    CHECK(r.fault.thread.x == 3);
  }
  SECTION("barrier and warp-sync waiting for each other") {
    Fixture fx("faults", 4);
    const auto r = fx.launch(e, {1, 1, 1}, {32, 1, 1});
    REQUIRE_FALSE(r.ok);
    CHECK(r.fault.cause == T1_FAULT_BARRIER);
    CHECK(r.fault.thread.x == 16);
  }
  SECTION("ebreak") {
    Fixture fx("faults", 5);
    const auto r = fx.launch(e, {1, 1, 1}, {32, 1, 1});
    REQUIRE_FALSE(r.ok);
    CHECK(r.fault.cause == T1_FAULT_BREAKPOINT);
    CHECK(r.fault.thread.x == 9);
    CHECK(r.fault.raw_insn == 0x00100073);
  }
  SECTION("misaligned atomic") {
    Fixture fx("faults", 6);
    const auto r = fx.launch(e, {1, 1, 1}, {32, 1, 1});
    REQUIRE_FALSE(r.ok);
    CHECK(r.fault.cause == T1_FAULT_MISALIGNED);
    CHECK(r.fault.address == kOut + 2);
    CHECK(r.fault.access == (T1_ACCESS_READ | T1_ACCESS_WRITE));
  }
  SECTION("jump to an unmapped address") {
    Fixture fx("faults", 7);
    const auto r = fx.launch(e, {1, 1, 1}, {32, 1, 1});
    REQUIRE_FALSE(r.ok);
    CHECK(r.fault.cause == T1_FAULT_UNMAPPED);
    CHECK(r.fault.access == T1_ACCESS_EXEC);
    CHECK(r.fault.pc == 0x5550000);
    CHECK(r.fault.thread.x == 2);
  }
  SECTION("the engine still runs correct kernels after faults") {
    Fixture fx("divergence");
    REQUIRE(fx.launch(e, {1, 1, 1}, {32, 1, 1}).ok);
    CHECK(fx.mem.data<uint64_t>(kOut)[31] == divergence_ref(31));
  }
}

TEST_CASE("an instruction straddling two code pages executes, also from the decode cache") {
  Fixture fx("straddle");
  Engine e(config());
  REQUIRE(fx.launch(e, {1, 1, 1}, {40, 1, 1}).ok);
  const uint64_t* out = fx.mem.data<uint64_t>(kOut);
  for (uint64_t t = 0; t < 40; ++t) CHECK(out[t] == 2 * (77 + t));
}

TEST_CASE("invalid launches are refused") {
  Fixture fx("divergence");
  Engine e(config());
  CHECK(fx.launch(e, {1, 1, 1}, {0, 1, 1}).fault.cause == T1_FAULT_BAD_PACKET);
  CHECK(fx.launch(e, {1, 1, 1}, {2048, 1, 1}).fault.cause == T1_FAULT_BAD_PACKET);
  CHECK(fx.launch(e, {0, 1, 1}, {32, 1, 1}).fault.cause == T1_FAULT_BAD_PACKET);
  CHECK(fx.launch(e, {1, 1, 1}, {32, 1, 1}, 1 << 30).fault.cause == T1_FAULT_BAD_PACKET);
  // A block count that does not fit in 64 bits.
  CHECK(fx.launch(e, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, {32, 1, 1}).fault.cause == T1_FAULT_BAD_PACKET);
}

TEST_CASE("deterministic mode gives identical results run after run") {
  // Each thread takes a ticket with amoadd and records it: the ticket order
  // depends on the schedule, which deterministic mode fixes.
  auto run_once = [] {
    Fixture fx("atomics");
    Engine e(config(1, true));
    REQUIRE(fx.launch(e, {16, 1, 1}, {64, 1, 1}).ok);
    const uint64_t* c = fx.mem.data<uint64_t>(kAux);
    return std::vector<uint64_t>(c, c + 8);
  };
  CHECK(run_once() == run_once());
}

namespace {
uint8_t host_flags() {
  const int f = std::fetestexcept(FE_ALL_EXCEPT);
  return static_cast<uint8_t>(((f & FE_INEXACT) ? 1 : 0) | ((f & FE_UNDERFLOW) ? 2 : 0) |
                              ((f & FE_OVERFLOW) ? 4 : 0) | ((f & FE_DIVBYZERO) ? 8 : 0) |
                              ((f & FE_INVALID) ? 16 : 0));
}
}  // namespace

TEST_CASE("floating point per lane: fused ops, division, sqrt, conversion, dynamic rounding, flags") {
  Fixture fx("fp_math");
  Engine e(config());
  const unsigned n = 64;
  float* xs = fx.mem.data<float>(kAux);
  double* ys = fx.mem.data<double>(kAux + 4096);
  for (unsigned i = 0; i < n; ++i) {
    xs[i] = static_cast<float>(i) * 0.37f - 9.5f;
    ys[i] = static_cast<double>(i) * 1.25 + 0.5;
  }
  xs[6] = 3.0f;  // exact everywhere except 1/3: fewer flags for this lane
  REQUIRE(fx.launch(e, {1, 1, 1}, {n, 1, 1}).ok);
  const unsigned char* out = fx.mem.data<unsigned char>(kOut);
  const int modes[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
  for (unsigned i = 0; i < n; ++i) {
    INFO("lane " << i);
    std::feclearexcept(FE_ALL_EXCEPT);
    volatile float x = xs[i], three = 3.0f, half = 0.5f, one = 1.0f;
    volatile double y = ys[i];
    // volatile results: GCC may otherwise move FP operations across
    // fesetround (GCC bug 34678), even with -frounding-math.
    volatile float fma_r = std::fma(x, three, half);
    volatile float div_r = x / three;
    volatile double sqrt_r = std::sqrt(y);
    volatile int32_t cvt_r = static_cast<int32_t>(x);
    volatile float third = one / three;
    std::fesetround(modes[i % 4]);
    volatile float sum = x + third;
    std::fesetround(FE_TONEAREST);
    const uint8_t flags = host_flags();
    const unsigned char* o = out + i * 48;
    float f;
    double d;
    int64_t v;
    std::memcpy(&f, o, 4);
    CHECK(std::bit_cast<uint32_t>(f) == std::bit_cast<uint32_t>(static_cast<float>(fma_r)));
    std::memcpy(&f, o + 8, 4);
    CHECK(std::bit_cast<uint32_t>(f) == std::bit_cast<uint32_t>(static_cast<float>(div_r)));
    std::memcpy(&d, o + 16, 8);
    CHECK(std::bit_cast<uint64_t>(d) == std::bit_cast<uint64_t>(static_cast<double>(sqrt_r)));
    std::memcpy(&v, o + 24, 8);
    CHECK(v == cvt_r);
    std::memcpy(&f, o + 32, 4);
    CHECK(std::bit_cast<uint32_t>(f) == std::bit_cast<uint32_t>(static_cast<float>(sum)));
    std::memcpy(&v, o + 40, 8);
    CHECK(v == flags);
  }
}

TEST_CASE("floating-point flags are exact per lane when lanes of one warp raise different ones") {
  Fixture fx("fp_flags");
  float* in = fx.mem.data<float>(kAux);
  const float inf = std::numeric_limits<float>::infinity();
  const float snan = std::bit_cast<float>(0x7fa00000u);
  // (a, b) per lane: exact, inexact, overflow, underflow, divide by zero,
  // invalid (0/0, inf-inf, sqrt(-1), signaling NaN), subnormal operands.
  const std::pair<float, float> cases[] = {
      {2.0f, 3.0f},    {1.0f, 3.0f},     {1e30f, 1e30f},  {1e-30f, 1e-30f}, {1.0f, 0.0f},
      {0.0f, 0.0f},    {inf, -inf},      {-4.0f, 2.0f},   {snan, 1.0f},     {1e-40f, 0.5f},
      {-0.0f, 0.0f},   {3.0f, -1e-38f},  {1e38f, 10.0f},  {0.1f, 0.2f},     {-1.0f, -1.0f},
      {7.0f, 1e-45f},
  };
  for (unsigned t = 0; t < 64; ++t) {
    in[t] = cases[t % 16].first;
    in[64 + t] = cases[t % 16].second;
  }
  Engine e(config());
  REQUIRE(fx.launch(e, {1, 1, 1}, {64, 1, 1}).ok);
  const uint64_t* out = fx.mem.data<uint64_t>(kOut);
  for (unsigned t = 0; t < 64; ++t) {
    INFO("lane " << t << ": a = " << in[t] << ", b = " << in[64 + t]);
    const uint64_t* o = out + t * 8;
    uint8_t f = 0;
    uint32_t r = fp::f32_mul(std::bit_cast<uint32_t>(in[t]), std::bit_cast<uint32_t>(in[64 + t]), fp::RNE, f);
    CHECK(static_cast<uint32_t>(o[0]) == r);
    CHECK(o[1] == f);
    f = 0;
    r = fp::f32_div(std::bit_cast<uint32_t>(in[t]), std::bit_cast<uint32_t>(in[64 + t]), fp::RNE, f);
    CHECK(static_cast<uint32_t>(o[2]) == r);
    CHECK(o[3] == f);
    f = 0;
    r = fp::f32_sqrt(std::bit_cast<uint32_t>(in[t]), fp::RNE, f);
    CHECK(static_cast<uint32_t>(o[4]) == r);
    CHECK(o[5] == f);
    f = 0;
    r = fp::f32_add(std::bit_cast<uint32_t>(in[t]), std::bit_cast<uint32_t>(in[64 + t]), fp::RNE, f);
    CHECK(static_cast<uint32_t>(o[6]) == r);
    CHECK(o[7] == f);
    // Sticky pass: flags accumulate on top of NX.
    const uint64_t* acc = out + 512 + t * 4;
    const uint64_t sticky_mul = fp::NX | o[1];
    CHECK(acc[0] == sticky_mul);
    CHECK(acc[1] == (sticky_mul | o[3]));
    CHECK(acc[2] == (sticky_mul | o[3] | o[5]));
    CHECK(acc[3] == (sticky_mul | o[3] | o[5] | o[7]));
    // Mixed: NX already set in odd lanes; only some results are inexact.
    const uint64_t* mix = out + 768 + t * 4;
    const uint8_t preset = t & 1;
    const uint32_t ft = std::bit_cast<uint32_t>(static_cast<float>(t));
    const uint32_t three = std::bit_cast<uint32_t>(3.0f);
    f = preset;
    const uint32_t q = fp::f32_div(ft, three, fp::RNE, f);
    CHECK(static_cast<uint32_t>(mix[0]) == q);
    CHECK(mix[1] == f);
    f = preset;
    CHECK(static_cast<uint32_t>(mix[2]) == fp::f32_madd(q, three, ft, fp::RNE, f));
    CHECK(mix[3] == f);
  }
}
