// SPDX-License-Identifier: Apache-2.0
// RUN: %tessc --stop-after=retarget %s -o - | %FileCheck %s
// After retarget the module is RV64GC: NVPTX's triple, calling conventions,
// target attributes, annotations and module flags are gone.
// CHECK: target triple = "riscv64-unknown-elf"
// CHECK-NOT: ptx_kernel
// CHECK: define {{.*}}void @_Z6kernelPi(
// CHECK-NOT: sm_70
// CHECK-NOT: nvvm.annotations
// CHECK: "target-cpu"="generic-rv64" "target-features"="+64bit,+m,+a,+f,+d,+c,-relax,-save-restore"
// CHECK-DAG: !{i32 1, !"target-abi", !"lp64d"}
// CHECK-DAG: !{i32 1, !"SmallDataLimit", i32 0}
__global__ void __launch_bounds__(128) kernel(int* p) { p[threadIdx.x] = 1; }
