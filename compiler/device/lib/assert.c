// SPDX-License-Identifier: Apache-2.0
// Failed assert() in device code. The device headers use glibc's <assert.h>,
// whose assert calls __assert_fail; picolibc (the device libc) names its own
// handler differently, so the device library provides this one.
//
// There is no device output channel yet, so the first failing thread of a
// launch leaves what the assertion said in __tessera_assert_record (found by
// the runtime through the code object's symbol table) and every failing
// thread stops with a BREAKPOINT fault (ebreak, as __trap() does). The
// runtime then reports "file:line: function: Assertion `expr' failed" with
// the fault, and clears `taken` for the next launch.
#include <stdint.h>

struct tessera_assert_record {
  uint64_t expression;  // device addresses of the strings
  uint64_t file;
  uint64_t function;
  uint32_t line;
  uint32_t taken;  // 0: free; set by the first failing thread
};

__attribute__((used)) struct tessera_assert_record __tessera_assert_record;

__attribute__((noreturn)) void __assert_fail(const char* assertion, const char* file,
                                             unsigned int line, const char* function) {
  struct tessera_assert_record* r = &__tessera_assert_record;
  if (__atomic_exchange_n(&r->taken, 1, __ATOMIC_ACQ_REL) == 0) {
    r->expression = (uintptr_t)assertion;
    r->file = (uintptr_t)file;
    r->function = (uintptr_t)function;
    r->line = line;
  }
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  for (;;) __asm__ volatile("ebreak");
}
