// SPDX-License-Identifier: Apache-2.0
// Launch-latency kernel: does nothing, so a launch costs only the runtime's
// path and the device's dispatch.
extern "C" __global__ void empty() {}
