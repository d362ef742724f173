// SPDX-License-Identifier: Apache-2.0
// The emu backend: a fabric of emulated T1 chips in this process.
//   TESSERA_EMU_DEVICES       number of chips (default 1, at most 64)
//   TESSERA_EMU_TOPOLOGY      full (default) or ring
//   TESSERA_EMU_*             each chip's configuration
//                             (tessera::emu::DeviceConfig::from_env)
// The runtime turns the watchdog on by default (kDefaultWatchdogMs).
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "hal/emu/emu_device.hpp"

namespace tessera::rt::hal {
namespace {

constexpr uint32_t kDefaultWatchdogMs = 60000;
constexpr int kBackendVersion = 1000;

class EmuBackend final : public Backend {
 public:
  EmuBackend(size_t count, emu::Fabric::Topology topology) {
    emu::DeviceConfig base;
    base.watchdog_ms = kDefaultWatchdogMs;
    emu::DeviceConfig cfg;
    try {
      cfg = emu::DeviceConfig::from_env(base);
      cfg.validate();
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(std::string("emulator configuration: ") + e.what());
    }
    fabric_ = std::make_unique<emu::Fabric>(std::vector<emu::DeviceConfig>(count, cfg), topology);
    for (size_t i = 0; i < count; ++i) {
      std::vector<uint32_t> peers = fabric_->peers(static_cast<uint32_t>(i));
      devices_.push_back(std::make_unique<EmuDevice>(fabric_->device(i), std::move(peers)));
    }
  }
  ~EmuBackend() override {
    devices_.clear();  // drivers go before the chips
    fabric_.reset();
  }
  const char* name() const override { return "emu"; }
  int version() const override { return kBackendVersion; }
  size_t device_count() const override { return devices_.size(); }
  Device& device(size_t index) override { return *devices_.at(index); }

 private:
  std::unique_ptr<emu::Fabric> fabric_;
  std::vector<std::unique_ptr<EmuDevice>> devices_;
};

}  // namespace

std::unique_ptr<Backend> open_emu_backend() {
  size_t count = 1;
  if (const char* s = std::getenv("TESSERA_EMU_DEVICES"); s && *s) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(s, &end, 10);
    if (*end || n < 1 || n > 64)
      throw std::runtime_error(std::string("TESSERA_EMU_DEVICES='") + s + "': expected a number from 1 to 64");
    count = n;
  }
  auto topology = emu::Fabric::Topology::kFullyConnected;
  if (const char* s = std::getenv("TESSERA_EMU_TOPOLOGY"); s && *s) {
    const std::string t = s;
    if (t == "ring") topology = emu::Fabric::Topology::kRing;
    else if (t != "full")
      throw std::runtime_error("TESSERA_EMU_TOPOLOGY='" + t + "': expected 'full' or 'ring'");
  }
  return std::make_unique<EmuBackend>(count, topology);
}

}  // namespace tessera::rt::hal
