// SPDX-License-Identifier: Apache-2.0
// -g puts DWARF line tables in the code object, so a faulting PC maps to a
// source line (the kernel's own lines, through inlining); without -g there
// is no debug information at all.
// RUN: %tessc -g -O2 %s -o %t.tsco
// RUN: %readelf -S %t.tsco | %FileCheck %s --check-prefix=SECTIONS
// RUN: %dwarfdump --debug-line %t.tsco | %FileCheck %s --check-prefix=LINES
// RUN: %tessc -O2 %s -o %t.plain.tsco
// RUN: %readelf -S %t.plain.tsco | %FileCheck %s --check-prefix=PLAIN
// SECTIONS: .debug_line
// PLAIN-NOT: .debug_
// LINES: debug_info.cu

static __device__ float twice(float v) {
  return v * 2.0f;
}

__global__ void k(float* p) {
  p[threadIdx.x] = twice(p[threadIdx.x]) + 1.0f;  // LINES: {{^0x[0-9a-f]+ +}}[[@LINE]] {{.*}} is_stmt
}
