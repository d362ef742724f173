// SPDX-License-Identifier: Apache-2.0
// Copies and fills on a stream: DMA packets when the device can reach both
// sides, the CPU (after the stream has drained) when host memory is not
// page-locked, link DMA or the host between devices.
#pragma once

#include "core/runtime.hpp"

namespace tessera::rt {

void memcpy_on_stream(void* dst, const void* src, size_t count, tsMemcpyKind kind, tsStream* s, bool async);
void memset_on_stream(void* dst, int value, size_t count, tsStream* s, bool async);
void memcpy_peer(void* dst, int dst_device, const void* src, int src_device, size_t count, tsStream* s, bool async);

}  // namespace tessera::rt
