// SPDX-License-Identifier: Apache-2.0
// DeviceConfig (validation, environment) and Fabric (chips joined by links).
#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "device_impl.hpp"

namespace tessera::emu {

namespace {

// Parses "123", "64K", "4G"... Throws naming the variable on garbage.
uint64_t parse_number(const char* name, const char* text, bool suffixes) {
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  uint64_t mul = 1;
  if (suffixes && end && *end) {
    switch (*end) {
      case 'k': case 'K': mul = uint64_t{1} << 10; break;
      case 'm': case 'M': mul = uint64_t{1} << 20; break;
      case 'g': case 'G': mul = uint64_t{1} << 30; break;
      case 't': case 'T': mul = uint64_t{1} << 40; break;
      default: mul = 0;
    }
    if (mul) ++end;
  }
  if (errno || end == text || *end || mul == 0 || *text == '-' || v > UINT64_MAX / mul)
    throw std::invalid_argument(std::string(name) + "=\"" + text + "\": not a valid " +
                                (suffixes ? "size (digits with an optional K/M/G/T suffix)"
                                          : "number"));
  return v * mul;
}

template <typename T>
void env(const char* name, T& field, bool suffixes = false) {
  const char* text = std::getenv(name);
  if (!text) return;
  const uint64_t v = parse_number(name, text, suffixes);
  if constexpr (std::is_same_v<T, bool>) {
    if (v > 1) throw std::invalid_argument(std::string(name) + " must be 0 or 1");
    field = v != 0;
  } else {
    if (v > static_cast<uint64_t>(static_cast<T>(~T{0})))
      throw std::invalid_argument(std::string(name) + "=" + text + ": too large");
    field = static_cast<T>(v);
  }
}

}  // namespace

DeviceConfig DeviceConfig::from_env(DeviceConfig c) {
  env("TESSERA_EMU_TILES", c.tiles);
  env("TESSERA_EMU_THREADS_PER_TILE", c.threads_per_tile);
  env("TESSERA_EMU_SCRATCHPAD", c.scratchpad_bytes, true);
  env("TESSERA_EMU_MEMORY", c.memory_bytes, true);
  env("TESSERA_EMU_QUEUES", c.queues);
  env("TESSERA_EMU_CONTEXTS", c.contexts);
  env("TESSERA_EMU_HOST_THREADS", c.host_threads);
  env("TESSERA_EMU_DETERMINISTIC", c.deterministic);
  env("TESSERA_EMU_MODEL_LINK_TIME", c.model_link_time);
  env("TESSERA_EMU_LINK_BANDWIDTH_MBPS", c.link_bandwidth_mbps);
  env("TESSERA_EMU_LINK_LATENCY_NS", c.link_latency_ns);
  env("TESSERA_EMU_WATCHDOG_MS", c.watchdog_ms);
  c.validate();
  return c;
}

void DeviceConfig::validate() const {
  auto bad = [](const std::string& what) { throw std::invalid_argument("DeviceConfig: " + what); };
  if (tiles == 0 || tiles > 4096) bad("tiles must be 1..4096");
  if (threads_per_tile < T1_WARP_SIZE || threads_per_tile > 4096 ||
      threads_per_tile % T1_WARP_SIZE)
    bad("threads_per_tile must be a multiple of 32 in 32..4096");
  if (scratchpad_bytes == 0 || scratchpad_bytes > T1_SHARED_APERTURE_SIZE ||
      scratchpad_bytes % 16)
    bad("scratchpad_bytes must be a multiple of 16 up to 16 MiB");
  if (memory_bytes == 0 || memory_bytes % T1_HUGE_PAGE_SIZE || memory_bytes > T1_MAX_MEM_SIZE)
    bad("memory_bytes must be a non-zero multiple of 2 MiB below 64 TiB");
  if (queues == 0 || queues > T1_MAX_QUEUES) bad("queues must be 1..64");
  if (contexts == 0) bad("contexts must be at least 1");
  if (link_bandwidth_mbps == 0) bad("link_bandwidth_mbps must be non-zero");
}

Fabric::Fabric(std::vector<DeviceConfig> configs, Topology topology) {
  const uint32_t n = static_cast<uint32_t>(configs.size());
  if (n == 0) throw std::invalid_argument("Fabric: no devices");
  peers_.resize(n);
  auto link = [&](uint32_t a, uint32_t b) {
    if (a == b || link_between(a, b) >= 0 || peers_[a].size() >= T1_MAX_LINKS ||
        peers_[b].size() >= T1_MAX_LINKS)
      return;
    peers_[a].push_back(b);
    peers_[b].push_back(a);
  };
  if (topology == Topology::kRing) {
    for (uint32_t i = 0; i < n && n > 1; ++i) link(i, (i + 1) % n);
  } else if (n <= T1_MAX_LINKS + 1) {
    for (uint32_t i = 0; i < n; ++i)
      for (uint32_t j = i + 1; j < n; ++j) link(i, j);
  } else {
    for (uint32_t d = 1; d <= 3; ++d)
      for (uint32_t i = 0; i < n; ++i) link(i, (i + d) % n);
  }
  for (uint32_t i = 0; i < n; ++i)
    devices_.push_back(std::unique_ptr<Device>(new Device(configs[i], i, this)));
}

Fabric::~Fabric() {
  // Stop every chip's queues before any chip goes away: a peer DMA running on
  // one chip reaches into another.
  for (auto& d : devices_) d->write32(T1_REG_RESET, 1);
  devices_.clear();
}

int Fabric::link_between(uint32_t from, uint32_t to) const {
  if (from >= peers_.size()) return -1;
  for (size_t l = 0; l < peers_[from].size(); ++l)
    if (peers_[from][l] == to) return static_cast<int>(l);
  return -1;
}

}  // namespace tessera::emu
