// SPDX-License-Identifier: Apache-2.0
// The T1 MMU: Sv48-format walks of per-context page tables (t1_mmu.h).
#pragma once

#include <cstdint>

#include "memory.hpp"
#include "regs.hpp"
#include "simt/address_space.hpp"

namespace tessera::emu {

class Mmu {
 public:
  Mmu(const DeviceMemory& mem, const HostWindows& windows, const RegisterFile& regs,
      uint32_t max_contexts)
      : mem_(mem), windows_(windows), regs_(regs), max_contexts_(max_contexts) {}

  // Host address of device-physical page-aligned or unaligned address `pa`
  // (valid up to the end of its 4 KiB page), or false with cause PHYS_RANGE.
  bool phys_to_host(uint64_t pa, uint8_t*& host, uint32_t& cause) const;

  // Translates `va` in context `ctx` for an access of kind `access`
  // (T1_ACCESS_* bits). `out.host` points at the start of va's 4 KiB page,
  // `out.perms` holds the page's permissions.
  bool translate(uint32_t ctx, uint64_t va, uint8_t access, PageRef& out, uint32_t& cause) const;

  // For DMA: translates `va` like translate() and returns the host view of
  // the longest run [va, va + n), n <= want, that is contiguous in host
  // memory and allows `access`, found by scanning the leaf's page table
  // (one walk per 2 MiB instead of one per 4 KiB). n >= 1 on success.
  bool translate_run(uint32_t ctx, uint64_t va, uint8_t access, uint64_t want, uint8_t*& host,
                     uint64_t& n, uint32_t& cause) const;

 private:
  bool read_phys64(uint64_t pa, uint64_t& value, uint32_t& cause) const;
  // The walk; `leaf_table`/`leaf_level` say where the leaf PTE was found.
  bool walk(uint32_t ctx, uint64_t va, uint8_t access, PageRef& out, uint32_t& cause,
            uint64_t& leaf_table, int& leaf_level) const;
  const DeviceMemory& mem_;
  const HostWindows& windows_;
  const RegisterFile& regs_;
  uint32_t max_contexts_;
};

// The AddressSpace one context presents to the SIMT engine and to DMA.
class ContextSpace final : public AddressSpace {
 public:
  ContextSpace(const Mmu& mmu, uint32_t ctx) : mmu_(mmu), ctx_(ctx) {}
  bool resolve(uint64_t va, uint8_t access, PageRef& out, uint32_t& cause) override {
    return mmu_.translate(ctx_, va, access, out, cause);
  }
  bool resolve_run(uint64_t va, uint8_t access, uint64_t want, uint8_t*& host, uint64_t& n,
                   uint32_t& cause) {
    return mmu_.translate_run(ctx_, va, access, want, host, n, cause);
  }
  uint32_t context() const { return ctx_; }

 private:
  const Mmu& mmu_;
  uint32_t ctx_;
};

}  // namespace tessera::emu
