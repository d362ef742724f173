// SPDX-License-Identifier: Apache-2.0
// CUDA's <cuda_runtime_api.h>: everything it would declare for device code is in Tessera's
// prelude, which tessc includes before every kernel file; this header exists so
// that kernel files including it compile unchanged.
#ifndef TESSERA_DEVICE_CUDA_RUNTIME_API_H
#define TESSERA_DEVICE_CUDA_RUNTIME_API_H
#include "tessera_device.h"
#endif // TESSERA_DEVICE_CUDA_RUNTIME_API_H
