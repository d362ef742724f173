// SPDX-License-Identifier: Apache-2.0
// runtime-compilation's build-time kernel: evaluates the polynomial
// c[0] + c[1] x + ... + c[degree] x^degree at every x with Horner's rule,
// reading the coefficients from device memory, so one compiled kernel
// serves any polynomial. main.cpp generates and compiles, at run time, a
// kernel specialised for one polynomial (its coefficients become constants
// and the loop disappears) and compares the two.
extern "C" __global__ void poly_generic(const float* coefficients, int degree, const float* x, float* y, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  const float v = x[i];
  float acc = coefficients[degree];
  for (int d = degree - 1; d >= 0; --d)
    acc = acc * v + coefficients[d];
  y[i] = acc;
}
