// SPDX-License-Identifier: Apache-2.0
// Lookups on a parsed image and building its device-memory bytes.
#include <algorithm>
#include <stdexcept>

#include "codeobj.hpp"

namespace tessera::codeobj {

const KernelInfo* Image::find_kernel(std::string_view name) const {
  for (const KernelInfo& k : kernels)
    if (k.name == name) return &k;
  return nullptr;
}

const GlobalInfo* Image::find_global(std::string_view name) const {
  for (const GlobalInfo& g : globals)
    if (g.name == name) return &g;
  return nullptr;
}

void materialize(const Image& image, uint64_t base, std::span<uint8_t> out) {
  if (out.size() != image.size)
    throw std::invalid_argument("materialize: output is " + std::to_string(out.size()) +
                                " bytes, the image is " + std::to_string(image.size));
  std::fill(out.begin(), out.end(), uint8_t{0});
  // parse() guarantees these bounds; they are rechecked for hand-built images.
  for (const Segment& s : image.segments) {
    if (s.bytes.size() > s.memsz || s.vaddr > out.size() || s.memsz > out.size() - s.vaddr)
      throw std::invalid_argument("materialize: a segment lies outside the image");
    std::copy(s.bytes.begin(), s.bytes.end(), out.begin() + static_cast<ptrdiff_t>(s.vaddr));
  }
  for (const auto& [offset, addend] : image.relative_relocs) {
    if (offset > out.size() || out.size() - offset < 8)
      throw std::invalid_argument("materialize: a relocation lies outside the image");
    // Device memory is little-endian whatever the host is.
    const uint64_t value = base + static_cast<uint64_t>(addend);
    for (unsigned i = 0; i < 8; ++i) out[offset + i] = static_cast<uint8_t>(value >> (8 * i));
  }
}

}  // namespace tessera::codeobj
