// SPDX-License-Identifier: Apache-2.0
// CUDA's warp matrix (tensor core) API, nvcuda::wmma: not available on
// Tessera yet (T1's matrix unit is planned; see docs/cuda-features.md).
#error "tensor-core WMMA (mma.h, nvcuda::wmma) is not supported by Tessera yet"
