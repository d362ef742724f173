// SPDX-License-Identifier: Apache-2.0
// Backend selection: TESSERA_BACKEND=emu|drm, else drm when the tessera
// kernel driver has a render node, else the emulator in this process.
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "hal/backend.hpp"

namespace tessera::rt::hal {

std::unique_ptr<Backend> open_backend() {
  const char* b = std::getenv("TESSERA_BACKEND");
  const std::string which = b && *b ? b : "";
  if (which == "emu") return open_emu_backend();
  if (which == "drm") return open_drm_backend();
  if (!which.empty()) throw std::runtime_error("TESSERA_BACKEND='" + which + "': expected 'emu' or 'drm'");
  return drm_device_present() ? open_drm_backend() : open_emu_backend();
}

}  // namespace tessera::rt::hal
