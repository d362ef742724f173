// SPDX-License-Identifier: Apache-2.0
#include "cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>

#include <llvm/Support/BLAKE3.h>
#include <llvm/Support/FileSystem.h>

namespace tessera::compiler {

namespace {

constexpr char kMagic[] = "TESSERA-KERNEL-CACHE-1\n";
using Digest = std::array<uint8_t, 32>;

std::string hex(const uint8_t* p, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  return s;
}

// Hashes a sequence of length-prefixed fields (so "ab","c" != "a","bc").
struct Hasher {
  llvm::BLAKE3 h;
  void field(llvm::StringRef s) {
    const uint64_t n = s.size();
    h.update(llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t*>(&n), sizeof n));
    h.update(s);
  }
  Digest digest() {
    const auto r = h.final();
    Digest d;
    std::copy(r.begin(), r.end(), d.begin());
    return d;
  }
};

bool hash_file(const std::string& path, Digest& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  const std::string contents(std::istreambuf_iterator<char>(f), {});
  Hasher h;
  h.field(contents);
  out = h.digest();
  return true;
}

struct FileStamp {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};

bool stamp(const std::string& path, FileStamp& s) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  s.size = static_cast<uint64_t>(st.st_size);
  s.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return true;
}

// Bounds-checked reading of an entry; any inconsistency makes it a miss.
class Reader {
 public:
  explicit Reader(const std::string& data) : d_(data) {}
  bool u32(uint32_t& v) { return raw(&v, 4); }
  bool u64(uint64_t& v) { return raw(&v, 8); }
  bool str(std::string& s) {
    uint64_t n;
    if (!u64(n) || n > d_.size() - pos_) return false;
    s = d_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool raw(void* p, size_t n) {
    if (n > d_.size() - pos_) return false;
    std::memcpy(p, d_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool at_end() const { return pos_ == d_.size(); }

 private:
  const std::string& d_;
  size_t pos_ = 0;
};

struct Writer {
  std::string d;
  void u32(uint32_t v) { d.append(reinterpret_cast<const char*>(&v), 4); }
  void u64(uint64_t v) { d.append(reinterpret_cast<const char*>(&v), 8); }
  void str(const std::string& s) {
    u64(s.size());
    d += s;
  }
};

}  // namespace

DiskCache::DiskCache(std::string directory) : dir_(std::move(directory)) {
  if (dir_.empty()) {
    if (const char* e = std::getenv("TESSERA_CACHE_DIR"); e && *e) {
      dir_ = e;
    } else if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) {
      dir_ = std::string(x) + "/tessera/kernels";
    } else if (const char* h = std::getenv("HOME"); h && *h) {
      dir_ = std::string(h) + "/.cache/tessera/kernels";
    } else {
      dir_ = "/tmp/tessera-kernel-cache";
    }
  }
}

std::string DiskCache::key(const Source& source, const Options& o) const {
  Hasher h;
  h.field(version_string());
  h.field(std::to_string(o.opt_level) + (o.debug_info ? "g" : "") + o.language_standard);
  for (const auto* list : {&o.include_dirs, &o.defines, &o.undefines, &o.warning_flags}) {
    h.field("list");
    for (const auto& s : *list) h.field(s);
  }
  h.field(source.name);
  h.field(source.contents);
  for (const MemoryHeader& mh : source.headers) {
    h.field(mh.name);
    h.field(mh.contents);
  }
  const Digest d = h.digest();
  return hex(d.data(), d.size());
}

std::optional<Result> DiskCache::lookup(const std::string& key) const {
  std::ifstream f(dir_ + "/" + key, std::ios::binary);
  if (!f) return std::nullopt;
  const std::string data(std::istreambuf_iterator<char>(f), {});
  Reader r(data);
  std::string magic;
  if (!r.str(magic) || magic != kMagic) return std::nullopt;
  uint32_t ndeps;
  if (!r.u32(ndeps)) return std::nullopt;
  for (uint32_t i = 0; i < ndeps; ++i) {
    std::string path;
    FileStamp want;
    Digest hash;
    uint64_t mtime;
    if (!r.str(path) || !r.u64(want.size) || !r.u64(mtime) || !r.raw(hash.data(), hash.size())) return std::nullopt;
    want.mtime_ns = static_cast<int64_t>(mtime);
    FileStamp now;
    if (!stamp(path, now)) return std::nullopt;
    if (now.size == want.size && now.mtime_ns == want.mtime_ns) continue;
    Digest current;
    if (now.size != want.size || !hash_file(path, current) || current != hash) return std::nullopt;
  }
  Result res;
  uint32_t nk;
  std::string code;
  if (!r.str(res.log) || !r.u32(nk) || nk > 1u << 16) return std::nullopt;
  for (uint32_t i = 0; i < nk; ++i) {
    KernelInfo k;
    uint32_t na;
    if (!r.str(k.name) || !r.str(k.demangled) || !r.u32(k.flags) || !r.u32(k.kernarg_size) ||
        !r.u32(k.kernarg_align) || !r.u32(k.static_shared_bytes) || !r.u32(k.stack_bytes) ||
        !r.u32(k.max_block_threads) || !r.u32(na) || na > 1u << 16)
      return std::nullopt;
    k.args.resize(na);
    for (KernelArg& a : k.args)
      if (!r.u32(a.offset) || !r.u32(a.size) || !r.u32(a.align) || !r.u32(a.kind)) return std::nullopt;
    res.kernels.push_back(std::move(k));
  }
  if (!r.str(code) || !r.at_end() || code.empty()) return std::nullopt;
  res.code_object.assign(code.begin(), code.end());
  res.ok = true;
  res.cache_hit = true;
  return res;
}

void DiskCache::store(const std::string& key, const Result& res, const std::vector<std::string>& files_read) const {
  Writer w;
  w.str(kMagic);
  std::vector<std::pair<std::string, std::pair<FileStamp, Digest>>> deps;
  for (const std::string& path : files_read) {
    FileStamp s;
    Digest d;
    // A file that cannot be read back (e.g. given in memory) is not a dependency on disk.
    if (!stamp(path, s) || !hash_file(path, d)) continue;
    deps.push_back({path, {s, d}});
  }
  w.u32(static_cast<uint32_t>(deps.size()));
  for (const auto& [path, sd] : deps) {
    w.str(path);
    w.u64(sd.first.size);
    w.u64(static_cast<uint64_t>(sd.first.mtime_ns));
    w.d.append(reinterpret_cast<const char*>(sd.second.data()), sd.second.size());
  }
  w.str(res.log);
  w.u32(static_cast<uint32_t>(res.kernels.size()));
  for (const KernelInfo& k : res.kernels) {
    w.str(k.name);
    w.str(k.demangled);
    for (uint32_t v : {k.flags, k.kernarg_size, k.kernarg_align, k.static_shared_bytes, k.stack_bytes,
                       k.max_block_threads, static_cast<uint32_t>(k.args.size())})
      w.u32(v);
    for (const KernelArg& a : k.args)
      for (uint32_t v : {a.offset, a.size, a.align, a.kind}) w.u32(v);
  }
  w.str(std::string(res.code_object.begin(), res.code_object.end()));

  // A cache that cannot be written is no error: the compile succeeded.
  if (llvm::sys::fs::create_directories(dir_)) return;
  std::random_device rd;
  const std::string tmp = dir_ + "/.tmp-" + key + "-" + std::to_string(rd());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(w.d.data(), static_cast<std::streamsize>(w.d.size()));
    if (!f) {
      ::unlink(tmp.c_str());
      return;
    }
  }
  if (::rename(tmp.c_str(), (dir_ + "/" + key).c_str()) != 0) ::unlink(tmp.c_str());
}

}  // namespace tessera::compiler
