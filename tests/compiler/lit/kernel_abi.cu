// SPDX-License-Identifier: Apache-2.0
// RUN: %tessc -O0 --stop-after=kernel-abi %s -o - | %FileCheck %s
// RUN: %tessc --list-kernels %s | %FileCheck %s --check-prefix=LIST
// Each kernel gets an entry of its own name taking the kernarg pointer; it
// loads every parameter at its naturally aligned offset, copies structs
// passed by value to the stack, calls the body and ends with t.exit.
struct Params {
  double scale;
  int n;
};

// CHECK-LABEL: define internal void @_Z4axpyc6ParamsPd.body(
// CHECK-LABEL: define void @_Z4axpyc6ParamsPd(ptr noalias readonly %0)
// CHECK: %[[C:.*]] = getelementptr inbounds i8, ptr %0, i64 0
// CHECK: load i8, ptr %[[C]], align 1
// CHECK: %[[S:.*]] = getelementptr inbounds i8, ptr %0, i64 8
// CHECK: call void @llvm.memcpy{{.*}}(ptr align 8 %{{.*}}, ptr align 8 %[[S]], i64 16, i1 false)
// CHECK: %[[P:.*]] = getelementptr inbounds i8, ptr %0, i64 24
// CHECK: load ptr, ptr %[[P]], align 8
// CHECK: call void @_Z4axpyc6ParamsPd.body(
// CHECK: call void asm sideeffect ".insn r 0xB, 1, 0, x0, x0, x0", "~{memory}"()
// CHECK-NEXT: unreachable
__global__ void axpy(char flag, Params p, double* y) {
  if (flag && threadIdx.x < p.n) y[threadIdx.x] *= p.scale;
}

// LIST-LABEL: kernel axpy(char, Params, double*)
// LIST: arguments{{ +}}3, kernarg 32 bytes, align 8
// LIST-NEXT: [0] offset   0  size   1  align  1  scalar
// LIST-NEXT: [1] offset   8  size  16  align  8  struct
// LIST-NEXT: [2] offset  24  size   8  align  8  pointer
// LIST: uses double precision
