// SPDX-License-Identifier: Apache-2.0
// Atomic access to a register page or to device-visible memory.
#pragma once

#include <atomic>
#include <cstdint>

namespace tessera::emu {

template <typename T>
inline std::atomic_ref<T> aref(uint8_t* p) {
  return std::atomic_ref<T>(*reinterpret_cast<T*>(p));
}

// The 64 KiB register page. Plain memory, so it could be shared with another
// process; every access is atomic because the device and the driver touch it
// from different threads.
class RegisterFile {
 public:
  explicit RegisterFile(uint8_t* page) : page_(page) {}
  uint8_t* page() const { return page_; }
  uint32_t load32(uint32_t off) const { return aref<uint32_t>(page_ + off).load(std::memory_order_acquire); }
  uint64_t load64(uint32_t off) const { return aref<uint64_t>(page_ + off).load(std::memory_order_acquire); }
  void store32(uint32_t off, uint32_t v) { aref<uint32_t>(page_ + off).store(v, std::memory_order_release); }
  void store64(uint32_t off, uint64_t v) { aref<uint64_t>(page_ + off).store(v, std::memory_order_release); }
  uint32_t or32(uint32_t off, uint32_t v) { return aref<uint32_t>(page_ + off).fetch_or(v, std::memory_order_acq_rel); }
  uint32_t and32(uint32_t off, uint32_t v) { return aref<uint32_t>(page_ + off).fetch_and(v, std::memory_order_acq_rel); }
  uint64_t or64(uint32_t off, uint64_t v) { return aref<uint64_t>(page_ + off).fetch_or(v, std::memory_order_acq_rel); }
  uint64_t and64(uint32_t off, uint64_t v) { return aref<uint64_t>(page_ + off).fetch_and(v, std::memory_order_acq_rel); }
  uint64_t add64(uint32_t off, uint64_t v) { return aref<uint64_t>(page_ + off).fetch_add(v, std::memory_order_acq_rel); }

 private:
  uint8_t* page_;
};

}  // namespace tessera::emu
