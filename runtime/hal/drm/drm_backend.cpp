// SPDX-License-Identifier: Apache-2.0
// The drm backend: every render node whose driver is `tessera`, in fabric
// order (DRM_TESSERA_DEVICE_INFO.fabric_index).
#include <fcntl.h>
#include <unistd.h>
#include <xf86drm.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "hal/drm/drm_device.hpp"

namespace tessera::rt::hal {
namespace {

constexpr int kBackendVersion = 1000;

// Render nodes are renderD128 .. renderD191 (DRM_MAX_MINOR per type).
std::vector<std::string> tessera_nodes() {
  std::vector<std::string> out;
  for (int minor = 128; minor < 192; ++minor) {
    const std::string path = "/dev/dri/renderD" + std::to_string(minor);
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) continue;
    if (drmVersionPtr v = drmGetVersion(fd)) {
      if (std::string(v->name, v->name_len) == "tessera") out.push_back(path);
      drmFreeVersion(v);
    }
    ::close(fd);
  }
  return out;
}

class DrmBackend final : public Backend {
 public:
  DrmBackend() {
    for (const std::string& path : tessera_nodes()) devices_.push_back(std::make_unique<DrmDevice>(path));
    if (devices_.empty())
      throw std::runtime_error("TESSERA_BACKEND=drm: no render node of the tessera kernel driver "
                               "(is tessera.ko loaded? see docs/kmod.md)");
    std::stable_sort(devices_.begin(), devices_.end(),
                     [](const auto& a, const auto& b) { return a->info().fabric_index < b->info().fabric_index; });
  }
  const char* name() const override { return "drm"; }
  int version() const override { return kBackendVersion; }
  size_t device_count() const override { return devices_.size(); }
  Device& device(size_t index) override { return *devices_.at(index); }

 private:
  std::vector<std::unique_ptr<DrmDevice>> devices_;
};

}  // namespace

bool drm_device_present() { return !tessera_nodes().empty(); }

std::unique_ptr<Backend> open_drm_backend() { return std::make_unique<DrmBackend>(); }

}  // namespace tessera::rt::hal
