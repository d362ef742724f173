// SPDX-License-Identifier: Apache-2.0
// The QEMU side of `tessera-emu serve`, in the test process: a client that
// connects like ivshmem-doorbell does and keeps every message and fd, and a
// guest driver that uses the shared memory the way the kernel module does
// (register loads from the page, register writes posted to the RWQ with a
// doorbell on the server's vector-0 eventfd, page tables and rings written
// straight into device memory).
#pragma once

#include <catch2/catch.hpp>

#include <endian.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <tessera/hw/t1.h>

namespace tessera::emu::test {

using namespace std::chrono_literals;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// True when `fd` becomes readable within `timeout`.
inline bool readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) == 1;
}

// Polls `pred` until it holds; false on timeout.
template <typename F>
bool eventually(F pred, std::chrono::milliseconds timeout = 5000ms) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(200us);
  }
  return true;
}

inline Fd connect_unix(const std::string& path) {
  Fd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
  if (::connect(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return Fd();
  return s;
}

struct Message {
  int64_t value = 0;
  Fd fd;  // or -1
};

// Receives up to `count` protocol messages (int64 LE + at most one fd);
// fewer when the server closes the connection or `timeout` passes.
inline std::vector<Message> receive_messages(int sock, size_t count,
                                             std::chrono::milliseconds timeout = 5000ms) {
  std::vector<Message> out;
  while (out.size() < count && readable(sock, timeout)) {
    uint64_t le = 0;
    iovec iov{&le, sizeof le};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    const ssize_t n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    if (n <= 0) break;
    REQUIRE(n == 8);  // QEMU reads whole 8-byte messages
    Message m;
    m.value = static_cast<int64_t>(le64toh(le));
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
        REQUIRE(c->cmsg_len == CMSG_LEN(sizeof(int)));  // at most one fd
        int fd;
        std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
        m.fd = Fd(fd);
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

inline std::string fd_kind(int fd) {
  char buf[128] = {};
  const std::string link = "/proc/self/fd/" + std::to_string(fd);
  const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

// One QEMU ivshmem-doorbell device connected to the server.
class FakeQemu {
 public:
  static constexpr size_t kMessages = 3 + 2 * T1_IVSHMEM_VECTORS;

  explicit FakeQemu(const std::string& socket_path) {
    sock = connect_unix(socket_path);
    REQUIRE(sock.get() >= 0);
    messages = receive_messages(sock.get(), kMessages);
    if (messages.size() != kMessages) return;  // refused; the test checks
    shm_size = file_size(messages[2].fd.get());
    void* p = ::mmap(nullptr, shm_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                     messages[2].fd.get(), 0);
    REQUIRE(p != MAP_FAILED);
    base = static_cast<uint8_t*>(p);
  }
  ~FakeQemu() {
    if (base) ::munmap(base, shm_size);
  }
  FakeQemu(const FakeQemu&) = delete;
  FakeQemu& operator=(const FakeQemu&) = delete;

  bool connected() const { return base != nullptr; }
  // QEMU exits: the connection closes (the mapping stays, for inspection).
  void disconnect() { sock.reset(); }

  int server_fd(uint32_t vector) const { return messages[3 + vector].fd.get(); }
  int own_fd(uint32_t vector) const { return messages[3 + T1_IVSHMEM_VECTORS + vector].fd.get(); }
  // The guest writes (server_peer_id << 16) | vector to the Doorbell
  // register; QEMU turns that into this write.
  void doorbell(uint32_t vector) const {
    const uint64_t one = 1;
    REQUIRE(::write(server_fd(vector), &one, sizeof one) == 8);
  }
  // Reads (and so clears) QEMU's eventfd for `vector`: interrupts raised.
  uint64_t take_interrupts(uint32_t vector) const {
    if (!readable(own_fd(vector), 0ms)) return 0;
    uint64_t n = 0;
    REQUIRE(::read(own_fd(vector), &n, sizeof n) == 8);
    return n;
  }

  t1_ivshmem_transport& transport() const {
    return *reinterpret_cast<t1_ivshmem_transport*>(base + T1_IVSHMEM_TRANSPORT_OFFSET);
  }
  template <typename T>
  T load(T& field) const {
    return std::atomic_ref<T>(field).load(std::memory_order_acquire);
  }
  uint32_t reg32(uint32_t off) const {
    return std::atomic_ref<uint32_t>(*reinterpret_cast<uint32_t*>(base + off))
        .load(std::memory_order_acquire);
  }
  uint64_t reg64(uint32_t off) const {
    return std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t*>(base + off))
        .load(std::memory_order_acquire);
  }
  uint8_t* mem(uint64_t pa) const { return base + T1_IVSHMEM_MEM_OFFSET + pa; }

  Fd sock;
  std::vector<Message> messages;
  uint8_t* base = nullptr;
  uint64_t shm_size = 0;

 private:
  static uint64_t file_size(int fd) {
    struct stat st {};
    REQUIRE(::fstat(fd, &st) == 0);
    return static_cast<uint64_t>(st.st_size);
  }
};

// A minimal T1 driver over a FakeQemu: the in-guest view of the device.
class GuestDriver {
 public:
  static constexpr uint64_t kCtxTable = 0x1000;
  static constexpr uint64_t kTablesBase = 0x10000;
  static constexpr uint64_t kDataBase = 2ull << 20;

  explicit GuestDriver(FakeQemu& q) : q_(q) {}

  // Posts one register write and rings the server's vector-0 doorbell.
  void post(uint32_t offset, uint32_t width, uint64_t value, bool ring = true) {
    t1_ivshmem_transport& t = q_.transport();
    const uint64_t head = q_.load(t.rwq_head);
    REQUIRE(eventually([&] { return head - q_.load(t.rwq_tail) < t.rwq_entries; }));
    t1_ivshmem_rwq_entry& e = t.rwq[head % t.rwq_entries];
    e.offset = offset;
    e.width = width;
    e.value = value;
    std::atomic_ref<uint64_t>(t.rwq_head).store(head + 1, std::memory_order_release);
    if (ring) q_.doorbell(T1_IVSHMEM_VEC_RWQ);
  }
  void write32(uint32_t off, uint32_t v) { post(off, 4, v); }
  void write64(uint32_t off, uint64_t v) { post(off, 8, v); }
  // Waits until the server applied every posted write.
  bool sync(std::chrono::milliseconds timeout = 5000ms) {
    t1_ivshmem_transport& t = q_.transport();
    return eventually([&] { return q_.load(t.rwq_tail) == q_.load(t.rwq_head); }, timeout);
  }

  // Handshake, context table, interrupts unmasked, command processor on
  // (DRIVER_READY only when asked).
  void start(bool driver_ready) {
    write32(T1_REG_DRV_VERSION, T1_HW_VERSION);
    REQUIRE(sync());
    REQUIRE((q_.reg32(T1_REG_HANDSHAKE) & T1_HANDSHAKE_ACK) != 0);
    std::memset(q_.mem(kCtxTable), 0, T1_PAGE_SIZE);
    write64(T1_REG_CTX_TABLE_BASE, kCtxTable);
    write32(T1_REG_CTX_TABLE_ENTRIES, 4);
    write32(T1_REG_INT_MASK, (1u << T1_NUM_VECTORS) - 1);
    write32(T1_REG_CONTROL,
            T1_CONTROL_ENABLE | (driver_ready ? T1_CONTROL_DRIVER_READY : 0));
    REQUIRE(sync());
    REQUIRE((q_.reg32(T1_REG_STATUS) & T1_STATUS_ENABLED) != 0);
  }

  template <typename T>
  T* at(uint64_t pa) {
    return reinterpret_cast<T*>(q_.mem(pa));
  }
  uint64_t alloc_table() {
    const uint64_t pa = next_table_;
    next_table_ += T1_PAGE_SIZE;
    REQUIRE(next_table_ <= kDataBase);
    std::memset(q_.mem(pa), 0, T1_PAGE_SIZE);
    return pa;
  }
  // Identity-mapped (VA = PA) data in context 0.
  uint64_t alloc_mapped(uint64_t size) {
    const uint64_t pa = next_data_;
    size = (size + T1_PAGE_SIZE - 1) & ~(T1_PAGE_SIZE - 1);
    next_data_ += size;
    for (uint64_t off = 0; off < size; off += T1_PAGE_SIZE) map_page(pa + off);
    std::memset(q_.mem(pa), 0, size);
    return pa;
  }
  void map_page(uint64_t va) {
    auto* ctx = at<t1_context_entry>(kCtxTable);
    if (!(ctx->root & T1_CTX_VALID)) ctx->root = alloc_table() | T1_CTX_VALID;
    uint64_t table = ctx->root & T1_CTX_ROOT_MASK;
    for (int l = T1_PT_LEVELS - 1; l > 0; --l) {
      uint64_t* e = at<uint64_t>(table + T1_PT_INDEX(va, l) * 8);
      if (!(*e & T1_PTE_V)) *e = T1_PTE(alloc_table(), T1_PTE_V);
      table = T1_PTE_ADDR(*e);
    }
    *at<uint64_t>(table + T1_PT_INDEX(va, 0) * 8) = T1_PTE(va, T1_PTE_R | T1_PTE_W | T1_PTE_V);
  }

  // Queue `qn` on a fresh ring of `size` packets, enabled through the RWQ.
  void setup_queue(uint32_t qn, uint32_t size = 16) {
    ring_ = alloc_mapped(uint64_t{size} * T1_PACKET_SIZE);
    ring_size_ = size;
    const uint32_t base = T1_REG_QUEUE(qn);
    write64(base + T1_QREG_RING_BASE, ring_);
    write32(base + T1_QREG_RING_SIZE, size);
    write32(base + T1_QREG_CONTEXT, 0);
    write32(base + T1_QREG_CONTROL, T1_QCTL_ENABLE);
    REQUIRE(sync());
    REQUIRE((q_.reg32(base + T1_QREG_STATUS) & T1_QSTATUS_ACTIVE) != 0);
  }
  // Writes the packet (header last) and posts the queue's doorbell.
  void submit(uint32_t qn, const union t1_packet& p) {
    uint8_t* slot = q_.mem(ring_ + (write_index_ % ring_size_) * T1_PACKET_SIZE);
    std::memcpy(slot + 2, reinterpret_cast<const uint8_t*>(&p) + 2, T1_PACKET_SIZE - 2);
    std::atomic_ref<uint16_t>(*reinterpret_cast<uint16_t*>(slot))
        .store(p.header, std::memory_order_release);
    ++write_index_;
    write64(T1_REG_DOORBELL(qn), write_index_);
  }

  uint64_t new_signal(int64_t value) {
    if (!signal_page_ || signal_used_ + T1_SIGNAL_SIZE > T1_PAGE_SIZE) {
      signal_page_ = alloc_mapped(T1_PAGE_SIZE);
      signal_used_ = 0;
    }
    const uint64_t va = signal_page_ + signal_used_;
    signal_used_ += T1_SIGNAL_SIZE;
    at<t1_signal>(va)->value = value;
    return va;
  }
  int64_t signal_value(uint64_t va) {
    return std::atomic_ref<int64_t>(at<t1_signal>(va)->value).load(std::memory_order_acquire);
  }

 private:
  FakeQemu& q_;
  uint64_t next_table_ = kTablesBase;
  uint64_t next_data_ = kDataBase;
  uint64_t ring_ = 0;
  uint32_t ring_size_ = 0;
  uint64_t write_index_ = 0;
  uint64_t signal_page_ = 0;
  uint32_t signal_used_ = 0;
};

inline union t1_packet signal_packet(uint64_t target, int64_t value, uint64_t completion,
                                     uint16_t flags = 0) {
  union t1_packet p{};
  p.signal.header = static_cast<uint16_t>(T1_PKT_TYPE_SIGNAL | flags);
  p.signal.op = T1_SIGNAL_OP_WRITE;
  p.signal.signal = target;
  p.signal.value = value;
  p.signal.completion_signal = completion;
  return p;
}

inline union t1_packet barrier_packet(uint64_t dep, uint64_t completion) {
  union t1_packet p{};
  p.barrier_and.header = static_cast<uint16_t>(T1_PKT_TYPE_BARRIER_AND);
  p.barrier_and.dep_signal[0] = dep;
  p.barrier_and.completion_signal = completion;
  return p;
}

}  // namespace tessera::emu::test
