/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tsrtc.h
 * @brief Runtime compilation of CUDA C++ kernels (`libtessera-rtc`).
 *
 * Shaped after NVRTC: `nvrtcCreateProgram` -> tsrtcCreateProgram,
 * `nvrtcCompileProgram` -> tsrtcCompileProgram, `nvrtcGetPTX` ->
 * tsrtcGetCode. The code is a T1 code object, the same tessc writes, ready
 * for tsModuleLoadData:
 *
 * @code
 *   tsrtcProgram prog;
 *   tsrtcCreateProgram(&prog, src, "saxpy.cu", 0, NULL, NULL);
 *   const char* opts[] = {"-O3", "-DBLOCK=256"};
 *   if (tsrtcCompileProgram(prog, 2, opts) != TSRTC_SUCCESS) {
 *     size_t n; tsrtcGetProgramLogSize(prog, &n);
 *     char* log = malloc(n); tsrtcGetProgramLog(prog, log);  // "saxpy.cu:3:5: error: ..."
 *   }
 *   size_t size; tsrtcGetCodeSize(prog, &size);
 *   char* code = malloc(size); tsrtcGetCode(prog, code);
 *   tsModuleLoadData(&module, code, size);
 *   tsrtcDestroyProgram(&prog);
 * @endcode
 *
 * Compiles go through libtessera-compiler, in process, with its on-disk
 * cache: compiling unchanged input (source, headers, options, and every
 * header read from disk) again takes well under a millisecond. The cache
 * directory is $TSRTC_CACHE_DIR if set, else the compiler's default
 * ($TESSERA_CACHE_DIR, else $XDG_CACHE_HOME/tessera/kernels, else
 * ~/.cache/tessera/kernels); TSRTC_CACHE=0 turns the cache off. Both are read
 * at each tsrtcCompileProgram.
 *
 * Thread safety: every function may be called from any thread; different
 * programs may be compiled concurrently. Calls on one program are
 * serialized.
 */
#ifndef TESSERA_TSRTC_H
#define TESSERA_TSRTC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Result of every tsrtc call (values as NVRTC's). */
typedef enum tsrtcResult {
  TSRTC_SUCCESS = 0,
  TSRTC_ERROR_OUT_OF_MEMORY = 1,
  TSRTC_ERROR_PROGRAM_CREATION_FAILURE = 2,
  TSRTC_ERROR_INVALID_INPUT = 3,   /**< a NULL or out-of-range argument */
  TSRTC_ERROR_INVALID_PROGRAM = 4, /**< not a live program, or no code yet */
  TSRTC_ERROR_INVALID_OPTION = 5,  /**< an unknown or malformed option; the log says which */
  TSRTC_ERROR_COMPILATION = 6,     /**< the source did not compile; the log has the diagnostics */
  TSRTC_ERROR_INTERNAL_ERROR = 11
} tsrtcResult;

/** A program: a source, its in-memory headers, and the last compile's log and code. */
typedef struct tsrtcProgramImpl* tsrtcProgram;

/** The enumerator's name, e.g. "TSRTC_ERROR_COMPILATION"; never NULL. */
const char* tsrtcGetErrorString(tsrtcResult result);

/** Version of this API: 1.0. */
tsrtcResult tsrtcVersion(int* major, int* minor);

/**
 * Creates a program from a NUL-terminated CUDA C++ source. `name` is used
 * in diagnostics and __FILE__ (NULL: "default_program"). `headers[i]` is
 * the text of the header found by `#include "includeNames[i]"` (searched
 * before the -I directories); both arrays may be NULL when numHeaders is 0.
 * The strings are copied.
 */
tsrtcResult tsrtcCreateProgram(tsrtcProgram* prog, const char* src, const char* name, int numHeaders,
                               const char* const* headers, const char* const* includeNames);

/** Destroys `*prog` and sets it to NULL. */
tsrtcResult tsrtcDestroyProgram(tsrtcProgram* prog);

/**
 * Compiles the program to a T1 code object. Options, one per string, as
 * tessc's (docs/tessc.md):
 *   -O0 -O1 -O2 -O3            optimization level (default -O2)
 *   -g                         DWARF line tables (faults name source lines)
 *   -I DIR, -IDIR              include directory (DIR as the next string, or joined)
 *   -D NAME[=VALUE], -U NAME   macros (value as the next string, or joined)
 *   -std=c++14|c++17|c++20     language standard (default c++17)
 *   -W..., -w                  Clang warning options
 * and NVRTC's spellings of the same: --include-path=DIR,
 * --define-macro=DEF, --undefine-macro=NAME, --std=STD, -lineinfo,
 * --generate-line-info, -G, --device-debug (these four mean -g).
 * Returns TSRTC_ERROR_INVALID_OPTION for anything else, and
 * TSRTC_ERROR_COMPILATION when the source does not compile; the log then
 * holds Clang-style diagnostics ("name:line:column: error: ..."). A program
 * may be compiled again (e.g. with other options); each compile replaces the
 * log and the code.
 */
tsrtcResult tsrtcCompileProgram(tsrtcProgram prog, int numOptions, const char* const* options);

/** Size of the last compile's log including its terminating NUL (1 when empty). */
tsrtcResult tsrtcGetProgramLogSize(tsrtcProgram prog, size_t* logSizeRet);
/** Copies the log, NUL-terminated, to `log` (tsrtcGetProgramLogSize bytes). */
tsrtcResult tsrtcGetProgramLog(tsrtcProgram prog, char* log);

/** Size in bytes of the code object; TSRTC_ERROR_INVALID_PROGRAM until a compile succeeded. */
tsrtcResult tsrtcGetCodeSize(tsrtcProgram prog, size_t* codeSizeRet);
/** Copies the code object (tsrtcGetCodeSize bytes) to `code`. */
tsrtcResult tsrtcGetCode(tsrtcProgram prog, char* code);

/** Number of kernels in the compiled program. */
tsrtcResult tsrtcGetKernelCount(tsrtcProgram prog, int* count);
/**
 * The symbol name of kernel `index` (mangled unless the kernel is
 * extern "C"), as tsModuleGetFunction takes it. Valid until the program is
 * compiled again or destroyed.
 */
tsrtcResult tsrtcGetKernelName(tsrtcProgram prog, int index, const char** name);

#ifdef __cplusplus
}
#endif

#endif /* TESSERA_TSRTC_H */
