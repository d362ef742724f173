// SPDX-License-Identifier: Apache-2.0
// Failed assert() in device code. The device headers use glibc's <assert.h>,
// whose assert calls __assert_fail; picolibc (the device libc) names its own
// handler differently, so the device library provides this one. There is no
// device output channel yet, so the thread stops with a BREAKPOINT fault
// (ebreak, as __trap() does) that the runtime reports for the kernel.
__attribute__((noreturn)) void __assert_fail(const char* assertion, const char* file,
                                             unsigned int line, const char* function) {
  (void)assertion;
  (void)file;
  (void)line;
  (void)function;
  for (;;) __asm__ volatile("ebreak");
}
