/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A tiny freestanding runtime for bare RV64 test programs: Linux system
 * calls through ecall, buffered stdout, a small deterministic printf, and
 * check helpers. Programs run unchanged under qemu-riscv64 and
 * `tessera-emu run`, whose outputs the e2e tests compare byte for byte.
 */
#ifndef TESSERA_TESTS_RT_H
#define TESSERA_TESTS_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

long rt_write(int fd, const void* buf, size_t len);
__attribute__((noreturn)) void rt_exit(int status);

/* Buffered stdout; flushed at exit and when the buffer fills. */
void rt_putc(char c);
void rt_puts(const char* s); /* no newline added */
void rt_flush(void);

/*
 * printf subset: %d %i %u %x %X %c %s %p %%, with l/ll/z length modifiers,
 * a field width and the '0' and '-' flags. No floating point here: use
 * rt_print_double_bits / rt_print_double for that.
 */
void rt_printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_vprintf(const char* fmt, va_list ap);

/* "0x3ff0000000000000" / "0x3f800000": exact, the way tests compare FP. */
void rt_print_double_bits(double d);
void rt_print_float_bits(float f);
/* Simple decimal rendering with `decimals` digits after the point (no
 * rounding subtleties: truncates; handles sign, inf, nan). For humans. */
void rt_print_double(double d, int decimals);

/* Self-checks: a failed check prints "FAIL file:line: expr" and is counted.
 * main() returns rt_failures() so the exit status says how many failed. */
void rt_check_fail(const char* file, int line, const char* expr);
int rt_failures(void);
#define CHECK(expr) ((expr) ? (void)0 : rt_check_fail(__FILE_NAME__, __LINE__, #expr))
#define CHECK_EQ(a, b) CHECK((a) == (b))

/* Freestanding memory functions (clang may emit calls to them). */
void* memcpy(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
void* memmove(void* dst, const void* src, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);

#endif
