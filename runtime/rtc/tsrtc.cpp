// SPDX-License-Identifier: Apache-2.0
// The tsrtc C API (include/tessera/tsrtc.h) over libtessera-compiler.
#include <tessera/tsrtc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <memory>
#include <unordered_map>
#include <vector>

#include <tessera/compiler.hpp>

#include "options.hpp"

struct tsrtcProgramImpl {
  tessera::compiler::Source source;
  std::mutex mutex;  // serializes calls on this program
  bool compiled_ok = false;
  std::string log;
  std::vector<uint8_t> code;
  std::vector<std::string> kernel_names;
};

namespace {

// Live programs by handle. A call holds a reference for its duration, so a
// program destroyed meanwhile (by another thread) is freed only after it;
// a destroyed or foreign handle is reported instead of dereferenced.
std::mutex g_programs_mutex;
std::unordered_map<tsrtcProgram, std::shared_ptr<tsrtcProgramImpl>>& programs() {
  static auto* map = new std::unordered_map<tsrtcProgram, std::shared_ptr<tsrtcProgramImpl>>();  // usable during exit
  return *map;
}

std::shared_ptr<tsrtcProgramImpl> find_program(tsrtcProgram p) {
  std::lock_guard lock(g_programs_mutex);
  const auto it = programs().find(p);
  return it == programs().end() ? nullptr : it->second;
}

// The cache settings, read at each compile so a process may change them.
tessera::compiler::CacheConfig cache_config() {
  tessera::compiler::CacheConfig c;
  const char* off = std::getenv("TSRTC_CACHE");
  c.enabled = !(off && std::strcmp(off, "0") == 0);
  if (const char* dir = std::getenv("TSRTC_CACHE_DIR"); dir && *dir) c.directory = dir;
  return c;
}

// Runs `body` with the program locked, turning exceptions into results.
template <class F>
tsrtcResult with_program(tsrtcProgram prog, F&& body) {
  try {
    const std::shared_ptr<tsrtcProgramImpl> p = find_program(prog);
    if (!p) return TSRTC_ERROR_INVALID_PROGRAM;
    std::lock_guard lock(p->mutex);
    return body(*p);
  } catch (const std::bad_alloc&) {
    return TSRTC_ERROR_OUT_OF_MEMORY;
  } catch (...) {
    return TSRTC_ERROR_INTERNAL_ERROR;
  }
}

}  // namespace

extern "C" {

const char* tsrtcGetErrorString(tsrtcResult result) {
  switch (result) {
    case TSRTC_SUCCESS: return "TSRTC_SUCCESS";
    case TSRTC_ERROR_OUT_OF_MEMORY: return "TSRTC_ERROR_OUT_OF_MEMORY";
    case TSRTC_ERROR_PROGRAM_CREATION_FAILURE: return "TSRTC_ERROR_PROGRAM_CREATION_FAILURE";
    case TSRTC_ERROR_INVALID_INPUT: return "TSRTC_ERROR_INVALID_INPUT";
    case TSRTC_ERROR_INVALID_PROGRAM: return "TSRTC_ERROR_INVALID_PROGRAM";
    case TSRTC_ERROR_INVALID_OPTION: return "TSRTC_ERROR_INVALID_OPTION";
    case TSRTC_ERROR_COMPILATION: return "TSRTC_ERROR_COMPILATION";
    case TSRTC_ERROR_INTERNAL_ERROR: return "TSRTC_ERROR_INTERNAL_ERROR";
  }
  return "TSRTC_ERROR unrecognized";
}

tsrtcResult tsrtcVersion(int* major, int* minor) {
  if (!major || !minor) return TSRTC_ERROR_INVALID_INPUT;
  *major = 1;
  *minor = 0;
  return TSRTC_SUCCESS;
}

tsrtcResult tsrtcCreateProgram(tsrtcProgram* prog, const char* src, const char* name, int numHeaders,
                               const char* const* headers, const char* const* includeNames) {
  if (!prog || !src || numHeaders < 0) return TSRTC_ERROR_INVALID_INPUT;
  if (numHeaders > 0 && (!headers || !includeNames)) return TSRTC_ERROR_INVALID_INPUT;
  for (int i = 0; i < numHeaders; ++i)
    if (!headers[i] || !includeNames[i] || !*includeNames[i]) return TSRTC_ERROR_INVALID_INPUT;
  if (name && !*name) return TSRTC_ERROR_INVALID_INPUT;
  try {
    auto p = std::make_shared<tsrtcProgramImpl>();
    p->source.name = name ? name : "default_program";
    p->source.contents = src;
    for (int i = 0; i < numHeaders; ++i) p->source.headers.push_back({includeNames[i], headers[i]});
    std::lock_guard lock(g_programs_mutex);
    programs().emplace(p.get(), p);
    *prog = p.get();
    return TSRTC_SUCCESS;
  } catch (const std::bad_alloc&) {
    return TSRTC_ERROR_OUT_OF_MEMORY;
  } catch (...) {
    return TSRTC_ERROR_PROGRAM_CREATION_FAILURE;
  }
}

tsrtcResult tsrtcDestroyProgram(tsrtcProgram* prog) {
  if (!prog) return TSRTC_ERROR_INVALID_INPUT;
  std::shared_ptr<tsrtcProgramImpl> doomed;  // freed after the lock is released
  {
    std::lock_guard lock(g_programs_mutex);
    const auto it = programs().find(*prog);
    if (it == programs().end()) return TSRTC_ERROR_INVALID_PROGRAM;
    doomed = std::move(it->second);
    programs().erase(it);
  }
  *prog = nullptr;
  return TSRTC_SUCCESS;
}

tsrtcResult tsrtcCompileProgram(tsrtcProgram prog, int numOptions, const char* const* options) {
  return with_program(prog, [&](tsrtcProgramImpl& p) {
    if (numOptions < 0 || (numOptions > 0 && !options)) return TSRTC_ERROR_INVALID_INPUT;
    p.compiled_ok = false;
    p.code.clear();
    p.kernel_names.clear();
    p.log.clear();
    std::vector<std::string> args;
    for (int i = 0; i < numOptions; ++i) {
      if (!options[i]) {
        p.log = "error: option " + std::to_string(i) + " is NULL\n";
        return TSRTC_ERROR_INVALID_INPUT;
      }
      args.emplace_back(options[i]);
    }
    tessera::rtc::ParsedOptions parsed = tessera::rtc::parse_options(args);
    if (!parsed.ok) {
      p.log = parsed.error;
      return TSRTC_ERROR_INVALID_OPTION;
    }
    // A Compiler is cheap to make (it holds only the cache's settings), so
    // each compile honours the environment of the moment.
    tessera::compiler::Compiler compiler(cache_config());
    tessera::compiler::Result r = compiler.compile(p.source, parsed.options);
    p.log = std::move(r.log);
    if (!r.ok) return TSRTC_ERROR_COMPILATION;
    p.code = std::move(r.code_object);
    for (const auto& k : r.kernels) p.kernel_names.push_back(k.name);
    p.compiled_ok = true;
    return TSRTC_SUCCESS;
  });
}

tsrtcResult tsrtcGetProgramLogSize(tsrtcProgram prog, size_t* logSizeRet) {
  return with_program(prog, [&](tsrtcProgramImpl& p) {
    if (!logSizeRet) return TSRTC_ERROR_INVALID_INPUT;
    *logSizeRet = p.log.size() + 1;
    return TSRTC_SUCCESS;
  });
}

tsrtcResult tsrtcGetProgramLog(tsrtcProgram prog, char* log) {
  return with_program(prog, [&](tsrtcProgramImpl& p) {
    if (!log) return TSRTC_ERROR_INVALID_INPUT;
    std::memcpy(log, p.log.c_str(), p.log.size() + 1);
    return TSRTC_SUCCESS;
  });
}

tsrtcResult tsrtcGetCodeSize(tsrtcProgram prog, size_t* codeSizeRet) {
  return with_program(prog, [&](tsrtcProgramImpl& p) {
    if (!codeSizeRet) return TSRTC_ERROR_INVALID_INPUT;
    if (!p.compiled_ok) return TSRTC_ERROR_INVALID_PROGRAM;
    *codeSizeRet = p.code.size();
    return TSRTC_SUCCESS;
  });
}

tsrtcResult tsrtcGetCode(tsrtcProgram prog, char* code) {
  return with_program(prog, [&](tsrtcProgramImpl& p) {
    if (!code) return TSRTC_ERROR_INVALID_INPUT;
    if (!p.compiled_ok) return TSRTC_ERROR_INVALID_PROGRAM;
    std::memcpy(code, p.code.data(), p.code.size());
    return TSRTC_SUCCESS;
  });
}

tsrtcResult tsrtcGetKernelCount(tsrtcProgram prog, int* count) {
  return with_program(prog, [&](tsrtcProgramImpl& p) {
    if (!count) return TSRTC_ERROR_INVALID_INPUT;
    if (!p.compiled_ok) return TSRTC_ERROR_INVALID_PROGRAM;
    *count = static_cast<int>(p.kernel_names.size());
    return TSRTC_SUCCESS;
  });
}

tsrtcResult tsrtcGetKernelName(tsrtcProgram prog, int index, const char** name) {
  return with_program(prog, [&](tsrtcProgramImpl& p) {
    if (!name) return TSRTC_ERROR_INVALID_INPUT;
    if (!p.compiled_ok) return TSRTC_ERROR_INVALID_PROGRAM;
    if (index < 0 || static_cast<size_t>(index) >= p.kernel_names.size()) return TSRTC_ERROR_INVALID_INPUT;
    *name = p.kernel_names[static_cast<size_t>(index)].c_str();
    return TSRTC_SUCCESS;
  });
}

}  // extern "C"
