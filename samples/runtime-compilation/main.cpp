// SPDX-License-Identifier: Apache-2.0
// runtime-compilation: compiles a kernel from a source string while the
// program runs, with the tsrtc API (tessera/tsrtc.h, the NVRTC of Tessera),
// and runs it.
//
// The polynomial to evaluate (here the Taylor series of e^x, of a degree
// that may be given on the command line) is only known at run time. The
// program writes its coefficients into a header held in memory
// ("poly_coefficients.h"), compiles a kernel source that includes it, with
// options (-O3 and -DBLOCK_SIZE=256), loads the resulting code object with
// tsModuleLoadData and launches it. The same polynomial also goes through
// the generic kernel compiled at build time (runtime-compilation.cu), which
// reads the coefficients from memory. Both results are checked against the
// host. The program also shows what a compile error looks like (the log),
// lists the compiled kernels' names, and compiles a second time to show the
// on-disk compile cache.
//
//   sample-runtime-compilation [DEGREE]     (1..16, default 8)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <tessera/tsrtc.h>

#include "check.h"
#include "sample-runtime-compilation_kernels.h"

namespace {

constexpr int kBlockSize = 256;

// The specialised kernel. kDegree and kCoefficients come from the header the
// host generates; with both constant the unrolled loop becomes a chain of
// multiply-adds with the coefficients as immediates.
const char* const kSpecialisedSource = R"(
#include "poly_coefficients.h"

extern "C" __global__ void __launch_bounds__(BLOCK_SIZE)
poly_specialised(const float* x, float* y, int n) {
  const int i = blockIdx.x * BLOCK_SIZE + threadIdx.x;
  if (i >= n)
    return;
  const float v = x[i];
  float acc = kCoefficients[kDegree];
#pragma unroll
  for (int d = kDegree - 1; d >= 0; --d)
    acc = acc * v + kCoefficients[d];
  y[i] = acc;
}
)";

// A source with a mistake, to show the compile log.
const char* const kBrokenSource = R"(
extern "C" __global__ void broken(float* y) {
  y[threadIdx.x] = undeclared_value;
}
)";

// The compile log of `program` (diagnostics; may be empty).
std::string program_log(tsrtcProgram program) {
  size_t size = 0;
  if (tsrtcGetProgramLogSize(program, &size) != TSRTC_SUCCESS)
    return "(no log)";
  std::string log(size, '\0');
  tsrtcGetProgramLog(program, log.data());
  log.resize(size - 1);  // drop the terminating NUL
  return log;
}

// Like TS_CHECK, for tsrtc calls.
#define TSRTC_CHECK(call)                                                                                   \
  do {                                                                                                      \
    const tsrtcResult tsrtc_result_ = (call);                                                               \
    if (tsrtc_result_ != TSRTC_SUCCESS) {                                                                   \
      std::fprintf(stderr, "%s:%d: %s returned %s\n", __FILE__, __LINE__, #call,                           \
                   tsrtcGetErrorString(tsrtc_result_));                                                     \
      std::printf("FAIL\n");                                                                                \
      std::exit(1);                                                                                         \
    }                                                                                                       \
  } while (0)

// The generated header: the coefficients as hexadecimal float literals,
// which represent every float exactly.
std::string coefficients_header(const std::vector<float>& coefficients) {
  std::string text = "constexpr int kDegree = " + std::to_string(coefficients.size() - 1) + ";\n";
  text += "constexpr float kCoefficients[] = {";
  char literal[32];
  for (size_t d = 0; d < coefficients.size(); ++d) {
    std::snprintf(literal, sizeof literal, "%s%af", d == 0 ? "" : ", ", coefficients[d]);
    text += literal;
  }
  return text + "};\n";
}

// Compiles the program, printing the wall time; exits on failure with the log.
double compile(tsrtcProgram program, const std::vector<const char*>& options) {
  const auto start = std::chrono::steady_clock::now();
  const tsrtcResult result = tsrtcCompileProgram(program, static_cast<int>(options.size()), options.data());
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (result != TSRTC_SUCCESS) {
    std::printf("compile failed (%s):\n%s\nFAIL\n", tsrtcGetErrorString(result), program_log(program).c_str());
    std::exit(1);
  }
  return ms;
}

// Counts results that differ from the host's (double-precision Horner on the
// same float coefficients) by more than float rounding explains.
int count_mismatches(const char* what, const std::vector<float>& y, const std::vector<float>& x,
                     const std::vector<float>& coefficients) {
  int mismatches = 0;
  double max_error = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    double expected = coefficients.back();
    for (int d = static_cast<int>(coefficients.size()) - 2; d >= 0; --d)
      expected = expected * x[i] + coefficients[d];
    const double error = std::fabs(y[i] - expected);
    max_error = std::fmax(max_error, error);
    if (error > 1e-5 * std::fmax(1.0, std::fabs(expected)) && ++mismatches <= 5)
      std::printf("  %s: y[%zu] = %.9g, expected %.9g\n", what, i, y[i], expected);
  }
  std::printf("  %-12s largest error %.3g, %d mismatches\n", what, max_error, mismatches);
  return mismatches;
}

}  // namespace

int main(int argc, char** argv) {
  const int degree = argc > 1 ? std::atoi(argv[1]) : 8;
  if (degree < 1 || degree > 16) {
    std::fprintf(stderr, "usage: %s [DEGREE (1..16)]\n", argv[0]);
    return 2;
  }
  int major = 0, minor = 0;
  TSRTC_CHECK(tsrtcVersion(&major, &minor));
  std::printf("tsrtc %d.%d\n", major, minor);

  // e^x = sum x^d / d!, truncated at `degree`.
  std::vector<float> coefficients(degree + 1);
  double factorial = 1.0;
  for (int d = 0; d <= degree; ++d) {
    factorial *= d > 0 ? d : 1;
    coefficients[d] = static_cast<float>(1.0 / factorial);
  }
  const std::string header = coefficients_header(coefficients);
  std::printf("generated poly_coefficients.h:\n%s", header.c_str());

  // 1. A compile error: tsrtcCompileProgram fails and the log says why.
  tsrtcProgram broken;
  TSRTC_CHECK(tsrtcCreateProgram(&broken, kBrokenSource, "broken.cu", 0, nullptr, nullptr));
  const tsrtcResult broken_result = tsrtcCompileProgram(broken, 0, nullptr);
  const std::string broken_log = program_log(broken);
  std::printf("compiling broken.cu: %s, log:\n%s", tsrtcGetErrorString(broken_result), broken_log.c_str());
  const bool error_reported =
      broken_result == TSRTC_ERROR_COMPILATION && broken_log.find("undeclared_value") != std::string::npos;
  TSRTC_CHECK(tsrtcDestroyProgram(&broken));

  // 2. The specialised kernel: the source, plus one header given in memory.
  const char* header_texts[] = {header.c_str()};
  const char* header_names[] = {"poly_coefficients.h"};
  tsrtcProgram program;
  TSRTC_CHECK(tsrtcCreateProgram(&program, kSpecialisedSource, "poly_specialised.cu", 1, header_texts,
                                 header_names));
  const std::string block_size_macro = "-DBLOCK_SIZE=" + std::to_string(kBlockSize);
  const std::vector<const char*> options = {"-O3", block_size_macro.c_str()};
  const double first_ms = compile(program, options);
  // The same input again: served from the compile cache unless it is off
  // (TSRTC_CACHE=0) or unwritable.
  const double second_ms = compile(program, options);
  std::printf("compiled poly_specialised.cu in %.1f ms, again in %.1f ms\n", first_ms, second_ms);

  int kernel_count = 0;
  TSRTC_CHECK(tsrtcGetKernelCount(program, &kernel_count));
  for (int k = 0; k < kernel_count; ++k) {
    const char* name = nullptr;
    TSRTC_CHECK(tsrtcGetKernelName(program, k, &name));
    std::printf("  kernel %d: %s\n", k, name);
  }
  size_t code_size = 0;
  TSRTC_CHECK(tsrtcGetCodeSize(program, &code_size));
  std::vector<char> code(code_size);
  TSRTC_CHECK(tsrtcGetCode(program, code.data()));
  TSRTC_CHECK(tsrtcDestroyProgram(&program));
  std::printf("code object: %zu bytes\n", code_size);

  // 3. Load both code objects and run both kernels on the same input.
  tsModule_t specialised_module, generic_module;
  tsFunction_t specialised, generic;
  TS_CHECK(tsModuleLoadData(&specialised_module, code.data(), code.size()));
  TS_CHECK(tsModuleGetFunction(&specialised, specialised_module, "poly_specialised"));
  TS_CHECK(tsModuleLoadData(&generic_module, tessera_kernels_runtime_compilation,
                            tessera_kernels_runtime_compilation_size));
  TS_CHECK(tsModuleGetFunction(&generic, generic_module, "poly_generic"));

  int n = 1 << 20;
  std::vector<float> x(n);
  for (int i = 0; i < n; ++i)
    x[i] = -2.0f + 4.0f * static_cast<float>(i) / static_cast<float>(n);  // [-2, 2)
  float *d_x, *d_y, *d_coefficients;
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_x), n * sizeof(float)));
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_y), n * sizeof(float)));
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_coefficients), coefficients.size() * sizeof(float)));
  TS_CHECK(tsMemcpy(d_x, x.data(), n * sizeof(float), tsMemcpyHostToDevice));
  TS_CHECK(tsMemcpy(d_coefficients, coefficients.data(), coefficients.size() * sizeof(float),
                    tsMemcpyHostToDevice));
  const tsDim3 grid = TS_DIM3((n + kBlockSize - 1) / kBlockSize, 1, 1);
  const tsDim3 block = TS_DIM3(kBlockSize, 1, 1);  // must be BLOCK_SIZE
  std::vector<float> y(n);

  std::printf("evaluating the degree-%d polynomial at %d points:\n", degree, n);
  void* specialised_args[] = {&d_x, &d_y, &n};
  TS_CHECK(tsLaunchKernel(specialised, grid, block, specialised_args, 0, nullptr));
  TS_CHECK(tsMemcpy(y.data(), d_y, n * sizeof(float), tsMemcpyDeviceToHost));
  const int specialised_mismatches = count_mismatches("specialised", y, x, coefficients);

  TS_CHECK(tsMemset(d_y, 0, n * sizeof(float)));
  int generic_degree = degree;
  void* generic_args[] = {&d_coefficients, &generic_degree, &d_x, &d_y, &n};
  TS_CHECK(tsLaunchKernel(generic, grid, block, generic_args, 0, nullptr));
  TS_CHECK(tsMemcpy(y.data(), d_y, n * sizeof(float), tsMemcpyDeviceToHost));
  const int generic_mismatches = count_mismatches("generic", y, x, coefficients);

  TS_CHECK(tsFree(d_x));
  TS_CHECK(tsFree(d_y));
  TS_CHECK(tsFree(d_coefficients));
  TS_CHECK(tsModuleUnload(specialised_module));
  TS_CHECK(tsModuleUnload(generic_module));
  if (!error_reported)
    std::printf("the broken source was not reported as expected\n");
  const bool pass = error_reported && specialised_mismatches == 0 && generic_mismatches == 0;
  std::printf("%s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
