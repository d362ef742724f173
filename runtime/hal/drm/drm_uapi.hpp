// SPDX-License-Identifier: Apache-2.0
// The kernel driver's uAPI (include/uapi/drm/tessera_drm.h) for the drm
// backend's files.
#pragma once

#include <tessera_drm.h>

namespace tessera::rt::hal {

// An ioctl argument struct, zeroed, with its `size` field set: the driver
// rejects any other size and any non-zero reserved field.
template <typename T>
T uapi_struct() {
  T v{};
  v.size = sizeof(T);
  return v;
}

}  // namespace tessera::rt::hal
