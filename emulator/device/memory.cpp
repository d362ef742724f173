// SPDX-License-Identifier: Apache-2.0
#include "memory.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <system_error>

#include <tessera/hw/t1_ivshmem.h>
#include <tessera/hw/t1_mmu.h>

namespace tessera::emu {

namespace {

uint64_t shared_file_size(uint64_t memory) {
  const uint64_t need = T1_IVSHMEM_MEM_OFFSET + memory;
  return std::bit_ceil(need);
}

uint8_t* map_shared(int fd, uint64_t offset, uint64_t size, const char* what) {
  // MAP_NORESERVE: no swap/commit accounting for the whole size up front.
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd,
                 static_cast<off_t>(offset));
  if (p == MAP_FAILED) throw std::system_error(errno, std::generic_category(), what);
  return static_cast<uint8_t*>(p);
}

}  // namespace

DeviceMemory::DeviceMemory(uint64_t size) : size_(size), file_size_(shared_file_size(size)) {
  fd_ = memfd_create("tessera-t1", MFD_CLOEXEC);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "memfd_create");
  try {
    if (ftruncate(fd_, static_cast<off_t>(file_size_)) != 0)
      throw std::system_error(errno, std::generic_category(), "ftruncate of device memory");
    control_ = map_shared(fd_, 0, T1_IVSHMEM_MEM_OFFSET, "mmap of the register page");
    base_ = map_shared(fd_, T1_IVSHMEM_MEM_OFFSET, size, "mmap of device memory");
  } catch (...) {
    if (control_) munmap(control_, T1_IVSHMEM_MEM_OFFSET);
    close(fd_);
    throw;
  }
}

DeviceMemory::~DeviceMemory() {
  munmap(base_, size_);
  munmap(control_, T1_IVSHMEM_MEM_OFFSET);
  close(fd_);
}

void DeviceMemory::scrub(uint64_t offset, uint64_t length) {
  if (offset > size_ || length > size_ - offset)
    throw std::out_of_range("scrub range beyond device memory");
  const uint64_t end = offset + length;
  const uint64_t first = (offset + T1_PAGE_SIZE - 1) & ~(T1_PAGE_SIZE - 1);
  const uint64_t last = end & ~(T1_PAGE_SIZE - 1);
  if (first >= last) {
    std::memset(base_ + offset, 0, length);
    return;
  }
  std::memset(base_ + offset, 0, first - offset);
  std::memset(base_ + last, 0, end - last);
  // Punching a hole frees the pages; they read back as zero.
  // Device memory starts T1_IVSHMEM_MEM_OFFSET into the file.
  if (fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                static_cast<off_t>(T1_IVSHMEM_MEM_OFFSET + first),
                static_cast<off_t>(last - first)) != 0)
    std::memset(base_ + first, 0, last - first);
}

uint64_t HostWindows::map(void* host, uint64_t size) {
  const auto addr = reinterpret_cast<uintptr_t>(host);
  if (!host || size == 0 || (addr & (T1_PAGE_SIZE - 1)) || (size & (T1_PAGE_SIZE - 1)))
    throw std::invalid_argument("host window: address and size must be non-zero multiples of 4 KiB");
  std::unique_lock lock(mu_);
  if (size > T1_HOST_APERTURE_SIZE - next_)
    throw std::invalid_argument("host window: aperture exhausted");
  const uint64_t phys = T1_HOST_APERTURE_BASE + next_;
  // One unmapped guard page between windows catches overruns.
  next_ += size + T1_PAGE_SIZE;
  windows_.emplace(phys, Window{static_cast<uint8_t*>(host), size});
  return phys;
}

void HostWindows::unmap(uint64_t phys) {
  std::unique_lock lock(mu_);
  if (windows_.erase(phys) == 0) throw std::invalid_argument("host window: no window at this address");
}

uint8_t* HostWindows::lookup(uint64_t pa, uint64_t* left) const {
  std::shared_lock lock(mu_);
  auto it = windows_.upper_bound(pa);
  if (it == windows_.begin()) return nullptr;
  --it;
  const uint64_t off = pa - it->first;
  if (off >= it->second.size) return nullptr;
  if (left) *left = it->second.size - off;
  return it->second.host + off;
}

}  // namespace tessera::emu
