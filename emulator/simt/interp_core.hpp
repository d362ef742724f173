// SPDX-License-Identifier: Apache-2.0
// Internals shared by the integer and floating-point halves of the warp
// interpreter: the running lane group, lane-loop helpers and memory access.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "exec_context.hpp"
#include "interpreter.hpp"
#include "isa/decoded_insn.hpp"
#include "warp.hpp"

#ifndef TESSERA_SIMT_VARIANT
#define TESSERA_SIMT_VARIANT baseline
#endif

// Everything here is compiled once per x86-64 level (see CMakeLists.txt), so
// it lives in a namespace named after the level: the copies never collide.
namespace tessera::emu::TESSERA_SIMT_VARIANT {

// The low 32 bits of v, sign-extended: how RV64 writes 32-bit results.
inline uint64_t sext32(uint64_t v) {
  return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(v)));
}

// Result of executing one instruction, for the fetch loop.
enum class Flow : uint8_t {
  Next,        // continue at gpc + len
  Jump,        // gpc was set (uniform control transfer)
  Reschedule,  // the lane group changed; pick a new one
  Stop,        // fault, exit of all lanes, or barrier: leave the loop
};

struct Interp {
  ExecContext& ctx;
  Warp& w;
  LaneMask active = 0;  // the running group: lanes at gpc
  uint64_t gpc = 0;
  // What the last instruction wrote (for --trace): 0 nothing, 1 x[rd], 2 f[rd].
  uint8_t wrote = 0;

  Interp(ExecContext& c, Warp& warp) : ctx(c), w(warp) {}

  bool full() const { return active == kFullMask; }

  // A group of one lane (bare programs, deeply divergent code) computes
  // just that lane instead of all 32.
  int single = -1;

  void set_active(LaneMask m, uint64_t pc) {
    active = m;
    gpc = pc;
    single = (m && !(m & (m - 1))) ? static_cast<int>(first_lane(m)) : -1;
#pragma GCC unroll 32
    for (unsigned l = 0; l < kLanes; ++l) w.blend[l] = ((m >> l) & 1u) ? ~uint64_t{0} : 0;
  }

  // Writes the group's PC back to its lanes before it stops running.
  void park(uint64_t pc) {
#pragma GCC unroll 32
    for (unsigned l = 0; l < kLanes; ++l)
      if ((active >> l) & 1u) w.pc[l] = pc;
  }

  // Computes v[l] = f(l) for all lanes, then stores v into the running lanes
  // of `dst` with a branch-free blend (vectorizes; inactive lanes keep theirs).
  // The loops are fully unrolled so that v[] lives in vector registers.
  template <class F>
  void write_lanes(uint64_t* dst, F&& f) {
    if (single >= 0) {
      dst[single] = f(static_cast<unsigned>(single));
      return;
    }
    alignas(64) uint64_t v[kLanes];
#pragma GCC unroll 32
    for (unsigned l = 0; l < kLanes; ++l) v[l] = f(l);
    if (full()) {
#pragma GCC unroll 32
      for (unsigned l = 0; l < kLanes; ++l) dst[l] = v[l];
    } else {
#pragma GCC unroll 32
      for (unsigned l = 0; l < kLanes; ++l) dst[l] = (v[l] & w.blend[l]) | (dst[l] & ~w.blend[l]);
    }
  }

  template <class F>
  void write_x(unsigned rd, F&& f) {
    if (rd == 0) return;
    write_lanes(w.x[rd], f);
    w.dirty_x |= 1u << rd;
    wrote = 1;
  }

  template <class F>
  void write_f(unsigned rd, F&& f) {
    write_lanes(w.f[rd], f);
    w.dirty_f |= 1u << rd;
    wrote = 2;
  }

  // ---- faults ----
  void fault(unsigned lane, uint32_t cause, uint8_t access, uint64_t addr, const DecodedInsn* d) {
    FaultInfo& fi = ctx.fault;
    if (fi.cause != T1_FAULT_NONE) return;
    fi.cause = cause;
    fi.access = access;
    fi.pc = gpc;
    fi.address = addr;
    fi.raw_insn = d ? d->raw : 0;
    fi.block = ctx.block_idx;
    fi.thread = Dim3{w.tid[0][lane], w.tid[1][lane], w.tid[2][lane]};
    fi.tile = ctx.tile;
    fi.warp = w.warp_id;
    fi.lane = lane;
  }

  // ---- memory ----
  // Loads `size` bytes at va for one lane (handles accesses that cross a
  // page by going byte by byte). Returns false after recording a fault.
  bool load_bytes(unsigned lane, uint64_t va, unsigned size, void* out, const DecodedInsn& d) {
    uint32_t cause = 0;
    if ((va & kPageMask) + size <= kPageSize) [[likely]] {
      const uint8_t* p = ctx.data_ptr(va, size, T1_ACCESS_READ, cause);
      if (!p) return fault(lane, cause, T1_ACCESS_READ, va, &d), false;
      std::memcpy(out, p, size);
      return true;
    }
    for (unsigned i = 0; i < size; ++i) {
      const uint8_t* p = ctx.data_ptr(va + i, 1, T1_ACCESS_READ, cause);
      if (!p) return fault(lane, cause, T1_ACCESS_READ, va + i, &d), false;
      static_cast<uint8_t*>(out)[i] = *p;
    }
    return true;
  }

  bool store_bytes(unsigned lane, uint64_t va, unsigned size, const void* in, const DecodedInsn& d) {
    uint32_t cause = 0;
    if ((va & kPageMask) + size <= kPageSize) [[likely]] {
      uint8_t* p = ctx.data_ptr(va, size, T1_ACCESS_WRITE, cause);
      if (!p) return fault(lane, cause, T1_ACCESS_WRITE, va, &d), false;
      std::memcpy(p, in, size);
      return true;
    }
    // Check every byte first so a faulting store writes nothing.
    for (unsigned i = 0; i < size; ++i)
      if (!ctx.data_ptr(va + i, 1, T1_ACCESS_WRITE, cause))
        return fault(lane, cause, T1_ACCESS_WRITE, va + i, &d), false;
    for (unsigned i = 0; i < size; ++i)
      *ctx.data_ptr(va + i, 1, T1_ACCESS_WRITE, cause) = static_cast<const uint8_t*>(in)[i];
    return true;
  }

  // Loads a T from every running lane into v[] (raw bits, zero-extended).
  // Coalescing fast paths: a full warp reading consecutive elements of one
  // page (one translation, one copy), or all lanes reading one address.
  template <typename T>
  bool gather(const uint64_t* base, int64_t imm, uint64_t* v, const DecodedInsn& d) {
    if (single >= 0) {
      const unsigned l = static_cast<unsigned>(single);
      T t;
      if (!load_bytes(l, base[l] + static_cast<uint64_t>(imm), sizeof(T), &t, d)) return false;
      v[l] = static_cast<uint64_t>(t);
      return true;
    }
    alignas(64) uint64_t addr[kLanes];
#pragma GCC unroll 32
    for (unsigned l = 0; l < kLanes; ++l) addr[l] = base[l] + static_cast<uint64_t>(imm);
    if (full()) {
      const uint64_t a0 = addr[0];
      // OR-reductions of differences vectorize; per-lane compares did not.
      uint64_t off_contiguous = 0, off_uniform = 0;
#pragma GCC unroll 32
      for (unsigned l = 0; l < kLanes; ++l) {
        off_contiguous |= addr[l] ^ (a0 + l * sizeof(T));
        off_uniform |= addr[l] ^ a0;
      }
      const bool contiguous = off_contiguous == 0, uniform = off_uniform == 0;
      if (contiguous && (a0 & kPageMask) + kLanes * sizeof(T) <= kPageSize) {
        uint32_t cause = 0;
        const uint8_t* p = ctx.data_ptr(a0, kLanes * sizeof(T), T1_ACCESS_READ, cause);
        if (!p) return fault(0, cause, T1_ACCESS_READ, a0, &d), false;
        T tmp[kLanes];
        std::memcpy(tmp, p, sizeof(tmp));
#pragma GCC unroll 32
        for (unsigned l = 0; l < kLanes; ++l) v[l] = static_cast<uint64_t>(tmp[l]);
        return true;
      }
      if (uniform) {
        T t;
        if (!load_bytes(0, a0, sizeof(T), &t, d)) return false;
#pragma GCC unroll 32
        for (unsigned l = 0; l < kLanes; ++l) v[l] = static_cast<uint64_t>(t);
        return true;
      }
    }
    // Lanes that do not run get a defined value; the blend discards it.
#pragma GCC unroll 32
    for (unsigned l = 0; l < kLanes; ++l) v[l] = 0;
    for (LaneMask m = active; m; m &= m - 1) {
      const unsigned l = first_lane(m);
      T t;
      if (!load_bytes(l, addr[l], sizeof(T), &t, d)) return false;
      v[l] = static_cast<uint64_t>(t);
    }
    return true;
  }

  template <typename T>
  bool scatter(const uint64_t* base, int64_t imm, const uint64_t* src, const DecodedInsn& d) {
    if (single >= 0) {
      const unsigned l = static_cast<unsigned>(single);
      const T t = static_cast<T>(src[l]);
      return store_bytes(l, base[l] + static_cast<uint64_t>(imm), sizeof(T), &t, d);
    }
    alignas(64) uint64_t addr[kLanes];
#pragma GCC unroll 32
    for (unsigned l = 0; l < kLanes; ++l) addr[l] = base[l] + static_cast<uint64_t>(imm);
    if (full()) {
      const uint64_t a0 = addr[0];
      uint64_t off_contiguous = 0;
#pragma GCC unroll 32
      for (unsigned l = 0; l < kLanes; ++l) off_contiguous |= addr[l] ^ (a0 + l * sizeof(T));
      if (off_contiguous == 0 && (a0 & kPageMask) + kLanes * sizeof(T) <= kPageSize) {
        uint32_t cause = 0;
        uint8_t* p = ctx.data_ptr(a0, kLanes * sizeof(T), T1_ACCESS_WRITE, cause);
        if (!p) return fault(0, cause, T1_ACCESS_WRITE, a0, &d), false;
        T tmp[kLanes];
#pragma GCC unroll 32
        for (unsigned l = 0; l < kLanes; ++l) tmp[l] = static_cast<T>(src[l]);
        std::memcpy(p, tmp, sizeof(tmp));
        return true;
      }
    }
    // Lanes store in lane order, so the highest lane wins on a collision.
    for (LaneMask m = active; m; m &= m - 1) {
      const unsigned l = first_lane(m);
      const T t = static_cast<T>(src[l]);
      if (!store_bytes(l, addr[l], sizeof(T), &t, d)) return false;
    }
    return true;
  }

  // Host pointer for an atomic access (must be naturally aligned).
  uint8_t* atomic_ptr(unsigned lane, uint64_t va, unsigned size, uint8_t access,
                      const DecodedInsn& d) {
    if (va & (size - 1)) return fault(lane, T1_FAULT_MISALIGNED, access, va, &d), nullptr;
    uint32_t cause = 0;
    uint8_t* p = ctx.data_ptr(va, size, access, cause);
    if (!p) fault(lane, cause, access, va, &d);
    return p;
  }
};

// Implemented in interp_fp.cpp: F and D instructions (and FP CSR access).
Flow exec_fp(Interp& in, const DecodedInsn& d);

// fcsr pieces, shared with the CSR instructions.
inline constexpr uint8_t kFflagsMask = 0x1F;

WarpStop run_warp(ExecContext& ctx, Warp& w, uint64_t budget);

}  // namespace tessera::emu::TESSERA_SIMT_VARIANT
