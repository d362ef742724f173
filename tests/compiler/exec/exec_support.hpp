// SPDX-License-Identifier: Apache-2.0
// Small helpers the compiler's execution tests share: the embedded code
// objects as spans and the launch-result check.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <span>

#include "kernel_runner.hpp"

namespace tessera::testing {

inline std::span<const uint8_t> code_object(const unsigned char* p, unsigned long n) { return {p, n}; }

// The code object tessera_add_kernels embedded for kernels/<name>.cu.
#define TESSERA_CODE_OBJECT(name) \
  ::tessera::testing::code_object(tessera_kernels_##name, tessera_kernels_##name##_size)

inline void require_ok(const emu::DispatchResult& r) {
  INFO(r.fault.describe());
  REQUIRE(r.ok);
}

}  // namespace tessera::testing
