// SPDX-License-Identifier: Apache-2.0
// The on-disk cache of compiled code objects. An entry's name is a hash of
// everything the caller gave (compiler version, options, source name and
// text, in-memory headers); inside it are the files the compile read with
// their size, modification time and content hash. A lookup is a hit only
// when every one of those files is unchanged (same size and time, or else
// same content). Entries are written to a temporary file and renamed into
// place, so concurrent compiles (threads or processes) never see half an
// entry; an unreadable or corrupt entry is a miss.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <tessera/compiler.hpp>

namespace tessera::compiler {

class DiskCache {
 public:
  // `directory` empty: $TESSERA_CACHE_DIR, else $XDG_CACHE_HOME/tessera/kernels,
  // else $HOME/.cache/tessera/kernels.
  explicit DiskCache(std::string directory);

  const std::string& directory() const { return dir_; }

  // The entry name for a request.
  std::string key(const Source& source, const Options& options) const;

  std::optional<Result> lookup(const std::string& key) const;
  // `files_read`: paths of every file the compile read from disk.
  void store(const std::string& key, const Result& r, const std::vector<std::string>& files_read) const;

 private:
  std::string dir_;
};

}  // namespace tessera::compiler
