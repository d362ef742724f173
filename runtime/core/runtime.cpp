// SPDX-License-Identifier: Apache-2.0
// The process-wide runtime: backend start-up, visible devices
// (TESSERA_VISIBLE_DEVICES), the current device, pointer ownership.
#include "core/runtime.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace tessera::rt {
namespace {

// "2,0" -> {2, 0}. Throws ApiError naming the problem.
std::vector<size_t> parse_visible(const std::string& text, size_t available) {
  std::vector<size_t> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    char* end = nullptr;
    const unsigned long v = std::strtoul(item.c_str(), &end, 10);
    if (item.empty() || *end)
      fail(tsErrorNoDevice, "TESSERA_VISIBLE_DEVICES='" + text + "': '" + item + "' is not a device number");
    if (v >= available)
      fail(tsErrorNoDevice, "TESSERA_VISIBLE_DEVICES='" + text + "': device " + item + " does not exist (" +
                                std::to_string(available) + " device(s))");
    for (size_t o : out)
      if (o == v) fail(tsErrorNoDevice, "TESSERA_VISIBLE_DEVICES='" + text + "': device " + item + " listed twice");
    out.push_back(v);
  }
  if (out.empty()) fail(tsErrorNoDevice, "TESSERA_VISIBLE_DEVICES is empty: no device is visible");
  return out;
}

struct InitFailure {
  tsError_t code;
  std::string message;
};

}  // namespace

Runtime::Runtime() {
  try {
    backend_ = hal::open_backend();
  } catch (const hal::VersionMismatch& e) {
    fail(tsErrorIncompatibleVersion, std::string("incompatible Tessera device: ") + e.what());
  } catch (const std::exception& e) {
    fail(tsErrorInitializationError, std::string("cannot start the Tessera backend: ") + e.what());
  }
  std::vector<size_t> order;
  const char* vis = std::getenv("TESSERA_VISIBLE_DEVICES");
  if (vis) {
    order = parse_visible(vis, backend_->device_count());
  } else {
    for (size_t i = 0; i < backend_->device_count(); ++i) order.push_back(i);
  }
  if (order.empty()) fail(tsErrorNoDevice, "the backend found no Tessera device");
  for (size_t i = 0; i < order.size(); ++i)
    devices_.push_back(std::make_unique<DeviceState>(*this, static_cast<int>(i), backend_->device(order[i]), notifier));
  for (auto& d : devices_) d->peer_enabled.assign(devices_.size(), false);
}

Runtime::~Runtime() {
  devices_.clear();
  backend_.reset();
}

Runtime& Runtime::get() {
  // Started once; a failure is remembered and reported by every call.
  static InitFailure* failure = nullptr;
  static Runtime* instance = [] {
    try {
      return new Runtime();
    } catch (const ApiError& e) {
      failure = new InitFailure{e.code(), e.what()};
    } catch (const std::exception& e) {
      failure = new InitFailure{tsErrorInitializationError, e.what()};
    }
    return static_cast<Runtime*>(nullptr);
  }();
  if (!instance) fail(failure->code, failure->message);
  return *instance;
}

int& Runtime::current_ordinal() {
  thread_local int ordinal = 0;
  return ordinal;
}

DeviceState& Runtime::device(int ordinal) {
  if (ordinal < 0 || ordinal >= device_count())
    fail(tsErrorInvalidDevice, "device " + std::to_string(ordinal) + " does not exist (" +
                                   std::to_string(device_count()) + " visible device(s))");
  return *devices_[ordinal];
}

DeviceState& Runtime::current() { return device(current_ordinal()); }

DeviceState* Runtime::owner_of(uint64_t p) {
  for (auto& d : devices_) {
    const uint64_t base = d->hw().va_base();
    if (p >= base && p - base < d->hw().va_size()) return d.get();
  }
  return nullptr;
}

bool Runtime::find_host(const void* p, uintptr_t& base, size_t& size, DeviceState** home) {
  const auto a = reinterpret_cast<uintptr_t>(p);
  std::lock_guard lock(host_mu);
  auto it = host_allocations.upper_bound(a);
  if (it == host_allocations.begin()) return false;
  --it;
  if (a >= it->first + std::max<size_t>(it->second.size, 1)) return false;
  base = it->first;
  size = it->second.size;
  if (home) *home = it->second.home;
  return true;
}

void Runtime::restore_host_allocations(DeviceState& d) {
  std::lock_guard lock(host_mu);
  for (auto it = host_allocations.begin(); it != host_allocations.end();) {
    if (it->second.home == &d) {
      it = host_allocations.erase(it);
      continue;
    }
    if (!it->second.home && d.hw().has_host_windows()) d.hw().map_host(reinterpret_cast<void*>(it->first), it->second.mapped);
    ++it;
  }
}

}  // namespace tessera::rt
