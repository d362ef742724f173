// SPDX-License-Identifier: Apache-2.0
// Prints what the runtime sees, one `key=value` per line, for tests that
// must start the runtime with a different environment (test_devices.cpp):
//   count=<n>  error=<tsGetDeviceCount's error name>  message=<its message>
//   device<i>.index=<deviceIndex>  device<i>.name=<name>
// The exit status is 0 when tsGetDeviceCount succeeded.
#include <tessera/tessera.h>

#include <cstdio>

int main() {
  int count = -1;
  const tsError_t e = tsGetDeviceCount(&count);
  std::printf("error=%s\n", tsGetErrorName(e));
  std::printf("message=%s\n", e == tsSuccess ? "" : tsGetLastErrorMessage());
  std::printf("count=%d\n", count);
  if (e != tsSuccess) return 1;
  for (int i = 0; i < count; ++i) {
    tsDeviceProp prop{};
    if (tsGetDeviceProperties(&prop, i) != tsSuccess) {
      std::printf("device%d.error=%s\n", i, tsGetErrorName(tsGetLastError()));
      continue;
    }
    std::printf("device%d.index=%d\n", i, prop.deviceIndex);
    std::printf("device%d.name=%s\n", i, prop.name);
  }
  return 0;
}
