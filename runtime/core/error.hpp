// SPDX-License-Identifier: Apache-2.0
// Errors inside the runtime: ApiError carries a tsError_t and a message for
// tsGetLastErrorMessage; api_call() turns it (and any other exception) into
// the return value and this thread's last error at the API boundary.
#pragma once

#include <new>
#include <stdexcept>
#include <string>

#include <tessera/tessera.h>

namespace tessera::rt {

class ApiError : public std::runtime_error {
 public:
  ApiError(tsError_t code, const std::string& message) : std::runtime_error(message), code_(code) {}
  tsError_t code() const { return code_; }

 private:
  tsError_t code_;
};

[[noreturn]] inline void fail(tsError_t code, const std::string& message) { throw ApiError(code, message); }

// This thread's last error (tsGetLastError) and message.
void set_last_error(tsError_t code, const std::string& message);

// Runs `f` as the body of an API call.
template <class F>
tsError_t api_call(F&& f) noexcept {
  try {
    f();
    return tsSuccess;
  } catch (const ApiError& e) {
    set_last_error(e.code(), e.what());
    return e.code();
  } catch (const std::bad_alloc&) {
    set_last_error(tsErrorMemoryAllocation, "out of host memory");
    return tsErrorMemoryAllocation;
  } catch (const std::exception& e) {
    set_last_error(tsErrorUnknown, std::string("internal error: ") + e.what());
    return tsErrorUnknown;
  }
}

}  // namespace tessera::rt
