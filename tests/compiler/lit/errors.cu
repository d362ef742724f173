// SPDX-License-Identifier: Apache-2.0
// Bad input gets a clear message and exit status 1, never a crash.
// RUN: %not %tessc %s -DSYNTAX 2>&1 | %FileCheck %s --check-prefix=SYNTAX
// RUN: %not %tessc %s -DPRINTF 2>&1 | %FileCheck %s --check-prefix=PRINTF
// RUN: %not %tessc %s -DPTX 2>&1 | %FileCheck %s --check-prefix=PTX
// RUN: %not %tessc %s -DMALLOC 2>&1 | %FileCheck %s --check-prefix=MALLOC
// RUN: %not %tessc %s -DUNDEFINED 2>&1 | %FileCheck %s --check-prefix=UNDEF
// RUN: %not %tessc %s --no-such-option 2>&1 | %FileCheck %s --check-prefix=OPTION
// RUN: %not %tessc %s.missing.cu 2>&1 | %FileCheck %s --check-prefix=MISSING
// RUN: %not %tessc 2>&1 | %FileCheck %s --check-prefix=NOINPUT
// RUN: %not %tessc %s -O7 2>&1 | %FileCheck %s --check-prefix=OPTION7
// RUN: %tessc %s --list-kernels 2>&1 | %FileCheck %s --check-prefix=FINE
#include <stdio.h>

#if defined(SYNTAX)
// SYNTAX: errors.cu:[[@LINE+1]]:{{[0-9]+}}: error: expected ';'
__global__ void k(int* p) { p[0] = 1 }
#elif defined(PRINTF)
// PRINTF: errors.cu:[[@LINE+1]]:{{[0-9]+}}: error: printf is not supported in T1 device code yet
__global__ void k(int* p) { printf("%d\n", p[0]); }
#elif defined(PTX)
// PTX: errors.cu:[[@LINE+1]]:{{[0-9]+}}: error: inline PTX assembly is not supported on the T1
__global__ void k(int* p) { asm volatile("membar.gl;"); p[0] = 1; }
#elif defined(MALLOC)
#include <stdlib.h>
// MALLOC: errors.cu:[[@LINE+1]]:{{[0-9]+}}: error: 'malloc' is not supported in T1 device code yet (no device heap)
__global__ void k(int** p) { p[0] = (int*)malloc(16); }
#elif defined(UNDEFINED)
// UNDEF: undefined symbol: {{.*}}not_defined_anywhere
__device__ int not_defined_anywhere(int);
__global__ void k(int* p) { p[0] = not_defined_anywhere(p[1]); }
#else
// FINE: kernel k(int*)
__global__ void k(int* p) { p[0] = 1; }
#endif

// OPTION: tessc: error: unknown option '--no-such-option'
// MISSING: tessc: error: cannot read '{{.*}}errors.cu.missing.cu'
// NOINPUT: tessc: error: no input file
// OPTION7: tessc: error: unknown option '-O7'
