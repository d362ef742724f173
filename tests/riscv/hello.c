// SPDX-License-Identifier: Apache-2.0
// Arguments and output: the stack layout the loader builds (argc, argv).
#include "rt.h"

int main(int argc, char** argv) {
  rt_printf("hello from RV64GC, argc=%d\n", argc);
  for (int i = 1; i < argc; ++i) rt_printf("argv[%d]=\"%s\"\n", i, argv[i]);
  CHECK(argv[argc] == 0);
  rt_printf("%5d|%-5d|%05d|%x|%X|%lld|%llu|%c|%s|%%\n", 42, -7, -42, 0xbeefu, 0xbeefu,
            (long long)INT64_MIN, (unsigned long long)UINT64_MAX, 'z', "str");
  static const char msg[] = "direct write to stderr\n";
  CHECK_EQ(rt_write(2, msg, sizeof msg - 1), (long)(sizeof msg - 1));
  // Linux error returns: a bad fd and a bad buffer.
  rt_printf("write(7) = %ld\n", rt_write(7, msg, 1));
  rt_printf("write(bad buffer) = %ld\n", rt_write(1, (const void*)16, 4));
  rt_printf("write(0 bytes) = %ld\n", rt_write(1, msg, 0));
  // An unknown system call fails with -ENOSYS (38), every time.
  for (int i = 0; i < 2; ++i) {
    register long a0 __asm__("a0") = 0;
    register long a7 __asm__("a7") = 999;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    rt_printf("syscall 999 = %ld\n", a0);
  }
  return rt_failures();
}
