// SPDX-License-Identifier: Apache-2.0
// RUN: %tessc -O2 --stop-after=optimize %s -o - | %FileCheck %s
// Identity reads become Xtessera CSR reads that touch no memory; barriers
// and warp operations become volatile, convergent Xtessera instructions
// (include/tessera/hw/t1_isa.h has the encodings). After the optimizer the
// device headers' wrappers are inlined into each kernel.

// CHECK-LABEL: define void @_Z3idsPj(
// CHECK-DAG: call i64 asm "csrr $0, 0xCC0", "=r"() #[[PURE:[0-9]+]]
// CHECK-DAG: call i64 asm "csrr $0, 0xCC4", "=r"()
// CHECK-DAG: call i64 asm "csrr $0, 0xCC8", "=r"()
// CHECK-DAG: call i64 asm "csrr $0, 0xCC9", "=r"()
// CHECK: unreachable
__global__ void ids(unsigned* out) {
  out[0] = threadIdx.x;
  out[1] = blockDim.y;
  out[2] = blockIdx.z;
  out[3] = gridDim.x;
}

// CHECK-LABEL: define void @_Z8barriersPi(
// CHECK: call void asm sideeffect ".insn r 0xB, 0, 0, x0, x0, x0", "~{memory}"() #[[CONV:[0-9]+]]
// CHECK: call i64 asm sideeffect ".insn r 0xB, 0, 1, $0, $1, x0", "=r,r,~{memory}"
// CHECK: call i64 asm sideeffect ".insn r 0xB, 0, 2, $0, $1, x0", "=r,r,~{memory}"
// CHECK: call i64 asm sideeffect ".insn r 0xB, 0, 3, $0, $1, x0", "=r,r,~{memory}"
// CHECK: call void asm sideeffect ".insn r 0xB, 4, 0, x0, $0, x0", "r,~{memory}"(i64 4294967295)
// CHECK: fence seq_cst
__global__ void barriers(int* p) {
  __syncthreads();
  p[0] = __syncthreads_count(p[1]);
  p[2] = __syncthreads_and(p[3]);
  p[4] = __syncthreads_or(p[5]);
  __syncwarp();
  __threadfence();
}

// Shuffles: the control operand packs lane, clamp and segment mask
// (T1_SHFL_CTL): lane 3, clamp 31 = 0x1F03; delta 1 up, clamp 0 = 1;
// delta 2 down = 0x1F02; xor 4 = 0x1F04.
// CHECK-LABEL: define void @_Z5warpsPi(
// CHECK: call i64 asm sideeffect ".insn r4 0x2B, 0, 0, $0, $1, $2, $3", "=r,r,r,r"(i64 %{{.*}}, i64 7939, i64 4294967295)
// CHECK: call i64 asm sideeffect ".insn r4 0x2B, 1, 0, $0, $1, $2, $3", "=r,r,r,r"(i64 %{{.*}}, i64 1, i64 4294967295)
// CHECK: call i64 asm sideeffect ".insn r4 0x2B, 2, 0, $0, $1, $2, $3", "=r,r,r,r"(i64 %{{.*}}, i64 7938, i64 4294967295)
// CHECK: call i64 asm sideeffect ".insn r4 0x2B, 3, 0, $0, $1, $2, $3", "=r,r,r,r"(i64 %{{.*}}, i64 7940, i64 4294967295)
// CHECK: call i64 asm sideeffect ".insn r 0xB, 2, 0, $0, $1, $2", "=r,r,r"
// CHECK: call i64 asm sideeffect ".insn r 0xB, 2, 1, $0, $1, $2", "=r,r,r"
// CHECK: call i64 asm sideeffect ".insn r 0xB, 2, 2, $0, $1, $2", "=r,r,r"
// CHECK: call i64 asm sideeffect ".insn r 0xB, 3, 0, $0, x0, x0", "=r"()
__global__ void warps(int* p) {
  int v = p[threadIdx.x];
  p[0] = __shfl_sync(0xffffffffu, v, 3);
  p[1] = __shfl_up_sync(0xffffffffu, v, 1);
  p[2] = __shfl_down_sync(0xffffffffu, v, 2);
  p[3] = __shfl_xor_sync(0xffffffffu, v, 4);
  p[4] = __all_sync(0xffffffffu, v);
  p[5] = __any_sync(0xffffffffu, v);
  p[6] = __ballot_sync(0xffffffffu, v);
  p[7] = __activemask();
}

// CHECK-DAG: attributes #[[PURE]] = { nounwind memory(none) }
// CHECK-DAG: attributes #[[CONV]] = { convergent nounwind }
