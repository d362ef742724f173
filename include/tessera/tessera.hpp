// SPDX-License-Identifier: Apache-2.0
/**
 * @file tessera.hpp
 * @brief A thin, header-only C++20 layer over the runtime API (tessera.h).
 *
 * Every failing runtime call becomes a tessera::Error exception carrying the
 * tsError_t and the runtime's detailed message. Resources are RAII, move-only
 * owners: DeviceBuffer, HostBuffer, Stream, Event, Module. Functions and
 * streams can also be passed as raw handles where a StreamRef is taken.
 *
 * @code
 *   auto mod = tessera::Module::from_memory(tessera_kernels_saxpy, tessera_kernels_saxpy_size);
 *   auto saxpy = mod.function("saxpy");
 *   tessera::DeviceBuffer<float> x(host_x), y(host_y);
 *   tessera::Stream stream;
 *   tessera::launch(saxpy, tessera::dim3(n / 256), tessera::dim3(256), 0, stream, n, 2.0f, x, y);
 *   std::vector<float> result = y.to_vector();  // synchronous copy
 * @endcode
 *
 * Destructors never throw: errors while releasing a resource are dropped
 * (they are still recorded as the thread's last error by the runtime).
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <tessera/tessera.h>

namespace tessera {

/* ====================================================================== */
/* Errors                                                                  */
/* ====================================================================== */

/** A failed runtime call: the code and the runtime's detailed message. */
class Error : public std::runtime_error {
 public:
  /** `detail` is the runtime's message (tsGetLastErrorMessage) or ours. */
  Error(tsError_t code, const std::string& detail)
      : std::runtime_error(compose(code, detail)), code_(code), detail_(detail) {}

  /** The runtime's error code. */
  tsError_t code() const noexcept { return code_; }
  /** The detailed message without the error's name; may be empty. */
  const std::string& detail() const noexcept { return detail_; }

 private:
  static std::string compose(tsError_t code, const std::string& detail) {
    std::string s = tsGetErrorName(code);
    s += ": ";
    s += detail.empty() ? tsGetErrorString(code) : detail;
    return s;
  }
  tsError_t code_;
  std::string detail_;
};

/**
 * Throws tessera::Error unless `result` is tsSuccess. The detailed message
 * is the calling thread's tsGetLastErrorMessage(); the thread's last error
 * is then reset, since the exception now reports it.
 */
inline void check(tsError_t result) {
  if (result == tsSuccess) return;
  std::string detail = tsGetLastErrorMessage();  // copied before the next call invalidates it
  (void)tsGetLastError();
  throw Error(result, detail);
}

/** A tsDim3 whose unspecified dimensions are 1 (a tsDim3{n} would have y = z = 0). */
constexpr tsDim3 dim3(unsigned int x, unsigned int y = 1, unsigned int z = 1) noexcept { return tsDim3{x, y, z}; }

/* ====================================================================== */
/* Devices                                                                 */
/* ====================================================================== */

inline int device_count() {
  int n = 0;
  check(tsGetDeviceCount(&n));
  return n;
}
inline int current_device() {
  int d = 0;
  check(tsGetDevice(&d));
  return d;
}
inline void set_device(int device) { check(tsSetDevice(device)); }
inline tsDeviceProp device_properties(int device) {
  tsDeviceProp p{};
  check(tsGetDeviceProperties(&p, device));
  return p;
}
/** Waits for all work of the current device; throws its first asynchronous error. */
inline void device_synchronize() { check(tsDeviceSynchronize()); }

/**
 * Makes a device current for this host thread for the guard's lifetime and
 * restores the previously current device afterwards.
 */
class DeviceGuard {
 public:
  explicit DeviceGuard(int device) : previous_(current_device()) { set_device(device); }
  ~DeviceGuard() { (void)tsSetDevice(previous_); }
  DeviceGuard(const DeviceGuard&) = delete;
  DeviceGuard& operator=(const DeviceGuard&) = delete;

  /** The device that was current before the guard. */
  int previous() const noexcept { return previous_; }

 private:
  int previous_;
};

/* ====================================================================== */
/* Streams and events                                                      */
/* ====================================================================== */

class Stream;
class Event;

/**
 * A non-owning reference to a stream: built implicitly from a Stream or a
 * raw tsStream_t (NULL, tsStreamLegacy, tsStreamPerThread included), so
 * every call taking a StreamRef accepts either.
 */
class StreamRef {
 public:
  StreamRef() noexcept = default;  ///< the default (NULL) stream
  StreamRef(tsStream_t stream) noexcept : stream_(stream) {}  // NOLINT: implicit on purpose
  StreamRef(const Stream& stream) noexcept;                     // NOLINT: implicit on purpose
  tsStream_t get() const noexcept { return stream_; }

 private:
  tsStream_t stream_ = nullptr;
};

/** An owned stream, destroyed with the object (work already enqueued still runs). */
class Stream {
 public:
  /** A stream with tsStreamCreateWithFlags (tsStreamDefault or tsStreamNonBlocking). */
  explicit Stream(unsigned int flags = tsStreamDefault) { check(tsStreamCreateWithFlags(&stream_, flags)); }
  /** A stream with a priority: lower numbers are higher priorities. */
  Stream(unsigned int flags, int priority) { check(tsStreamCreateWithPriority(&stream_, flags, priority)); }
  ~Stream() { reset(); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  Stream(Stream&& other) noexcept : stream_(std::exchange(other.stream_, nullptr)) {}
  Stream& operator=(Stream&& other) noexcept {
    if (this != &other) {
      reset();
      stream_ = std::exchange(other.stream_, nullptr);
    }
    return *this;
  }

  tsStream_t get() const noexcept { return stream_; }
  unsigned int flags() const {
    unsigned int f = 0;
    check(tsStreamGetFlags(stream_, &f));
    return f;
  }
  int priority() const {
    int p = 0;
    check(tsStreamGetPriority(stream_, &p));
    return p;
  }
  /** Waits for the stream's work; throws its asynchronous error, if any. */
  void synchronize() const { check(tsStreamSynchronize(stream_)); }
  /** True once all work has completed; false while some runs. */
  bool query() const {
    const tsError_t e = tsStreamQuery(stream_);
    if (e == tsErrorNotReady) return false;
    check(e);
    return true;
  }
  /** Later work of this stream waits for the event's last record. */
  inline void wait(const Event& event) const;

  /**
   * Runs `fn` on a runtime thread once earlier work has completed; later
   * work waits for it. `fn` must not call the runtime. The callable is moved
   * to the heap and freed after it ran, so it may own what it captures. An
   * exception escaping `fn` calls std::terminate (it would otherwise unwind
   * through the C runtime).
   */
  void host_func(std::function<void()> fn) const {
    auto owned = std::make_unique<std::function<void()>>(std::move(fn));
    check(tsLaunchHostFunc(stream_, &run_host_func, owned.get()));
    owned.release();  // the trampoline frees it
  }

 private:
  static void run_host_func(void* user) noexcept {
    std::unique_ptr<std::function<void()>> fn(static_cast<std::function<void()>*>(user));
    (*fn)();
  }
  void reset() noexcept {
    if (stream_) (void)tsStreamDestroy(stream_);
    stream_ = nullptr;
  }
  tsStream_t stream_ = nullptr;
};

inline StreamRef::StreamRef(const Stream& stream) noexcept : stream_(stream.get()) {}

/** An owned event. */
class Event {
 public:
  /** tsEventDefault, tsEventBlockingSync, tsEventDisableTiming, or'ed. */
  explicit Event(unsigned int flags = tsEventDefault) { check(tsEventCreateWithFlags(&event_, flags)); }
  ~Event() { reset(); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  Event(Event&& other) noexcept : event_(std::exchange(other.event_, nullptr)) {}
  Event& operator=(Event&& other) noexcept {
    if (this != &other) {
      reset();
      event_ = std::exchange(other.event_, nullptr);
    }
    return *this;
  }

  tsEvent_t get() const noexcept { return event_; }
  void record(StreamRef stream = {}) const { check(tsEventRecord(event_, stream.get())); }
  void synchronize() const { check(tsEventSynchronize(event_)); }
  /** True once the recorded work has completed. */
  bool query() const {
    const tsError_t e = tsEventQuery(event_);
    if (e == tsErrorNotReady) return false;
    check(e);
    return true;
  }
  /** Milliseconds from `start`'s record to `end`'s (both completed). */
  static float elapsed_ms(const Event& start, const Event& end) {
    float ms = 0;
    check(tsEventElapsedTime(&ms, start.event_, end.event_));
    return ms;
  }

 private:
  void reset() noexcept {
    if (event_) (void)tsEventDestroy(event_);
    event_ = nullptr;
  }
  tsEvent_t event_ = nullptr;
};

inline void Stream::wait(const Event& event) const { check(tsStreamWaitEvent(stream_, event.get(), 0)); }

/* ====================================================================== */
/* Memory                                                                  */
/* ====================================================================== */

namespace detail {

inline void check_fits(size_t count, size_t offset, size_t capacity, const char* what) {
  if (offset > capacity || count > capacity - offset)
    throw Error(tsErrorInvalidValue, std::string(what) + ": " + std::to_string(count) + " elements at offset " +
                                         std::to_string(offset) + " exceed the buffer's " +
                                         std::to_string(capacity));
}

// What DeviceBuffer and HostBuffer share: a move-only owner of `size_`
// elements at `ptr_`, released with `Free` (tsFree or tsFreeHost).
template <class T, tsError_t (*Free)(void*)>
class OwnedArray {
 public:
  OwnedArray() noexcept = default;
  ~OwnedArray() { reset(); }
  OwnedArray(const OwnedArray&) = delete;
  OwnedArray& operator=(const OwnedArray&) = delete;
  OwnedArray(OwnedArray&& other) noexcept
      : ptr_(std::exchange(other.ptr_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  OwnedArray& operator=(OwnedArray&& other) noexcept {
    if (this != &other) {
      reset();
      ptr_ = std::exchange(other.ptr_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }

  T* data() const noexcept { return ptr_; }
  size_t size() const noexcept { return size_; }
  size_t size_bytes() const noexcept { return size_ * sizeof(T); }
  bool empty() const noexcept { return size_ == 0; }

 protected:
  void reset() noexcept {
    if (ptr_) (void)Free(ptr_);
    ptr_ = nullptr;
    size_ = 0;
  }
  T* ptr_ = nullptr;
  size_t size_ = 0;
};

}  // namespace detail

/**
 * Device memory for `size()` elements of T on the device current at
 * construction (tsMalloc / tsFree). Copies check their sizes and throw
 * tessera::Error(tsErrorInvalidValue) when a span does not fit.
 */
template <class T>
class DeviceBuffer : public detail::OwnedArray<T, tsFree> {
  static_assert(std::is_trivially_copyable_v<T>, "device memory holds trivially copyable types only");
  using Base = detail::OwnedArray<T, tsFree>;
  using Base::ptr_;
  using Base::size_;

 public:
  using value_type = T;

  DeviceBuffer() noexcept = default;
  /** Uninitialized memory for `count` elements. */
  explicit DeviceBuffer(size_t count) {
    void* p = nullptr;
    check(tsMalloc(&p, count * sizeof(T)));
    ptr_ = static_cast<T*>(p);
    size_ = count;
  }
  /** A copy of `host`. */
  explicit DeviceBuffer(std::span<const T> host) : DeviceBuffer(host.size()) { copy_from_host(host); }

  // data() is the device pointer (not dereferenceable on the host); size(),
  // size_bytes(), empty() come from the base.

  /** Copies `src` to elements [offset, offset + src.size()); synchronous. */
  void copy_from_host(std::span<const T> src, size_t offset = 0) {
    detail::check_fits(src.size(), offset, size_, "DeviceBuffer::copy_from_host");
    check(tsMemcpy(ptr_ + offset, src.data(), src.size_bytes(), tsMemcpyHostToDevice));
  }
  /** Copies elements [offset, offset + dst.size()) to `dst`; synchronous. */
  void copy_to_host(std::span<T> dst, size_t offset = 0) const {
    detail::check_fits(dst.size(), offset, size_, "DeviceBuffer::copy_to_host");
    check(tsMemcpy(dst.data(), ptr_ + offset, dst.size_bytes(), tsMemcpyDeviceToHost));
  }
  /** The whole buffer, copied to the host synchronously. */
  std::vector<T> to_vector() const {
    std::vector<T> v(size_);
    copy_to_host(v);
    return v;
  }
  /**
   * Enqueues a copy of `src` on `stream`. Asynchronous only when `src` is
   * page-locked (HostBuffer); pageable memory is copied before returning.
   * Asynchronous source memory must stay valid until the copy completes.
   */
  void copy_from_host_async(std::span<const T> src, StreamRef stream, size_t offset = 0) {
    detail::check_fits(src.size(), offset, size_, "DeviceBuffer::copy_from_host_async");
    check(tsMemcpyAsync(ptr_ + offset, src.data(), src.size_bytes(), tsMemcpyHostToDevice, stream.get()));
  }
  /** Enqueues a copy to `dst` on `stream` (asynchronous for page-locked `dst`). */
  void copy_to_host_async(std::span<T> dst, StreamRef stream, size_t offset = 0) const {
    detail::check_fits(dst.size(), offset, size_, "DeviceBuffer::copy_to_host_async");
    check(tsMemcpyAsync(dst.data(), ptr_ + offset, dst.size_bytes(), tsMemcpyDeviceToHost, stream.get()));
  }
  /** Sets every byte of the buffer to `byte`. */
  void fill_bytes(int byte) { check(tsMemset(ptr_, byte, this->size_bytes())); }
  void fill_bytes_async(int byte, StreamRef stream) { check(tsMemsetAsync(ptr_, byte, this->size_bytes(), stream.get())); }

  /** Gives up ownership: the caller must tsFree the pointer. */
  T* release() noexcept {
    size_ = 0;
    return std::exchange(ptr_, nullptr);
  }
};

/**
 * Page-locked host memory for `size()` elements of T (tsMallocHost /
 * tsFreeHost): usable on the host, by asynchronous copies, and by kernels
 * of every device. The elements are value-initialized.
 */
template <class T>
class HostBuffer : public detail::OwnedArray<T, tsFreeHost> {
  static_assert(std::is_trivially_copyable_v<T>, "page-locked memory holds trivially copyable types only");
  using Base = detail::OwnedArray<T, tsFreeHost>;
  using Base::ptr_;
  using Base::size_;

 public:
  using value_type = T;

  HostBuffer() noexcept = default;
  explicit HostBuffer(size_t count) {
    void* p = nullptr;
    check(tsMallocHost(&p, count * sizeof(T)));
    ptr_ = static_cast<T*>(p);
    size_ = count;
    for (size_t i = 0; i < count; ++i) ptr_[i] = T{};
  }
  T& operator[](size_t i) const noexcept { return ptr_[i]; }
  T* begin() const noexcept { return ptr_; }
  T* end() const noexcept { return ptr_ + size_; }
  std::span<T> span() const noexcept { return {ptr_, size_}; }
  operator std::span<T>() const noexcept { return span(); }              // NOLINT: implicit on purpose
  operator std::span<const T>() const noexcept { return {ptr_, size_}; }  // NOLINT: implicit on purpose
};

/* ====================================================================== */
/* Modules, functions, launches                                            */
/* ====================================================================== */

/** A kernel of a loaded module: a handle that lives as long as its Module. */
class Function {
 public:
  Function() noexcept = default;
  explicit Function(tsFunction_t function) noexcept : function_(function) {}
  tsFunction_t get() const noexcept { return function_; }

  tsFuncAttributes attributes() const {
    tsFuncAttributes a{};
    check(tsFuncGetAttributes(&a, function_));
    return a;
  }
  /** The largest block size the kernel supports (and the grid that fills the device). */
  std::pair<int, int> max_potential_block_size(size_t dynamic_shared = 0, int block_size_limit = 0) const {
    int min_grid = 0, block = 0;
    check(tsOccupancyMaxPotentialBlockSize(&min_grid, &block, function_, dynamic_shared, block_size_limit));
    return {min_grid, block};
  }

 private:
  tsFunction_t function_ = nullptr;
};

/** A __device__ or __constant__ variable of a module. */
struct DeviceSymbol {
  void* address = nullptr;  ///< device address
  size_t size = 0;          ///< bytes
};

/** A code object loaded onto the device current at load time; unloaded with the object. */
class Module {
 public:
  Module() noexcept = default;
  /** Loads a code object file (tsModuleLoad). */
  static Module from_file(const std::string& path) {
    Module m;
    check(tsModuleLoad(&m.module_, path.c_str()));
    return m;
  }
  /** Loads a code object held in memory; the bytes are copied. */
  static Module from_memory(const void* image, size_t size) {
    Module m;
    check(tsModuleLoadData(&m.module_, image, size));
    return m;
  }
  static Module from_memory(std::span<const uint8_t> image) { return from_memory(image.data(), image.size()); }

  ~Module() { reset(); }
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  Module(Module&& other) noexcept : module_(std::exchange(other.module_, nullptr)) {}
  Module& operator=(Module&& other) noexcept {
    if (this != &other) {
      reset();
      module_ = std::exchange(other.module_, nullptr);
    }
    return *this;
  }

  tsModule_t get() const noexcept { return module_; }
  /** The kernel with this symbol name (extern "C" name, or the mangled one). */
  Function function(const std::string& name) const {
    tsFunction_t f = nullptr;
    check(tsModuleGetFunction(&f, module_, name.c_str()));
    return Function(f);
  }
  DeviceSymbol global(const std::string& name) const {
    DeviceSymbol s;
    check(tsModuleGetGlobal(&s.address, &s.size, module_, name.c_str()));
    return s;
  }

 private:
  void reset() noexcept {
    if (module_) (void)tsModuleUnload(module_);
    module_ = nullptr;
  }
  tsModule_t module_ = nullptr;
};

namespace detail {

template <class A>
struct is_buffer : std::false_type {};
template <class T>
struct is_buffer<DeviceBuffer<T>> : std::true_type {};
template <class T>
struct is_buffer<HostBuffer<T>> : std::true_type {};

// A buffer argument passes its pointer: the launch copies the value
// `pointer` holds, so it must live until tsLaunchKernel returns (it does:
// the array of these lives in launch's frame).
template <class A>
struct KernelArg {
  static_assert(std::is_trivially_copyable_v<A>,
                "kernel arguments must be trivially copyable (or a DeviceBuffer/HostBuffer)");
  explicit KernelArg(const A& a) noexcept : value(&a) {}
  void* address() const noexcept { return const_cast<A*>(value); }
  const A* value;
};
template <class A>
  requires is_buffer<A>::value
struct KernelArg<A> {
  explicit KernelArg(const A& a) noexcept : pointer(a.data()) {}
  void* address() noexcept { return &pointer; }
  typename A::value_type* pointer;
};

}  // namespace detail

/**
 * Enqueues `function` with the given arguments (tsLaunchKernel). Each
 * argument must have exactly the type of the kernel's parameter (pass
 * `2.0f`, not `2`, to a float parameter: only the count is checked by the
 * runtime); a DeviceBuffer<T> or HostBuffer<T> passes its T* pointer.
 */
template <class... Args>
void launch(const Function& function, tsDim3 grid, tsDim3 block, size_t shared_bytes, StreamRef stream,
            const Args&... args) {
  if constexpr (sizeof...(Args) == 0) {
    check(tsLaunchKernel(function.get(), grid, block, nullptr, shared_bytes, stream.get()));
  } else {
    std::tuple<detail::KernelArg<Args>...> holders{detail::KernelArg<Args>(args)...};
    void* pointers[sizeof...(Args)];
    std::apply([&](auto&... h) {
      size_t i = 0;
      ((pointers[i++] = h.address()), ...);
    }, holders);
    check(tsLaunchKernel(function.get(), grid, block, pointers, shared_bytes, stream.get()));
  }
}

}  // namespace tessera
