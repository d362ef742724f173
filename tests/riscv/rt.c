// SPDX-License-Identifier: Apache-2.0
#include "rt.h"

#define SYS_write 64
#define SYS_exit_group 94

static long syscall3(long nr, long a0, long a1, long a2) {
  register long x10 __asm__("a0") = a0;
  register long x11 __asm__("a1") = a1;
  register long x12 __asm__("a2") = a2;
  register long x17 __asm__("a7") = nr;
  __asm__ volatile("ecall" : "+r"(x10) : "r"(x11), "r"(x12), "r"(x17) : "memory");
  return x10;
}

long rt_write(int fd, const void* buf, size_t len) {
  return syscall3(SYS_write, fd, (long)buf, (long)len);
}

static char out_buf[4096];
static size_t out_len;

void rt_flush(void) {
  size_t done = 0;
  while (done < out_len) {
    long n = rt_write(1, out_buf + done, out_len - done);
    if (n <= 0) break;
    done += (size_t)n;
  }
  out_len = 0;
}

void rt_exit(int status) {
  rt_flush();
  syscall3(SYS_exit_group, status, 0, 0);
  for (;;) {
  }
}

void rt_putc(char c) {
  if (out_len == sizeof out_buf) rt_flush();
  out_buf[out_len++] = c;
}

void rt_puts(const char* s) {
  while (*s) rt_putc(*s++);
}

static void put_padded(const char* s, size_t len, int width, int left, char pad) {
  int fill = width > (int)len ? width - (int)len : 0;
  if (!left)
    while (fill-- > 0) rt_putc(pad);
  for (size_t i = 0; i < len; ++i) rt_putc(s[i]);
  if (left)
    while (fill-- > 0) rt_putc(' ');
}

static void put_number(unsigned long long v, int neg, unsigned base, int upper, int width,
                       int left, char pad) {
  char tmp[24];
  int n = 0;
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    tmp[n++] = digits[v % base];
    v /= base;
  } while (v);
  char out[26];
  int len = 0;
  if (neg) {
    if (pad == '0') {  // sign goes before the zero padding
      rt_putc('-');
      if (width > 0) --width;
    } else {
      out[len++] = '-';
    }
  }
  while (n) out[len++] = tmp[--n];
  put_padded(out, (size_t)len, width, left, pad);
}

void rt_vprintf(const char* fmt, va_list ap) {
  for (; *fmt; ++fmt) {
    if (*fmt != '%') {
      rt_putc(*fmt);
      continue;
    }
    ++fmt;
    int left = 0;
    char pad = ' ';
    for (;; ++fmt) {
      if (*fmt == '-') left = 1;
      else if (*fmt == '0') pad = '0';
      else break;
    }
    int width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    int lng = 0;
    while (*fmt == 'l' || *fmt == 'z') {
      ++lng;
      ++fmt;
    }
    switch (*fmt) {
      case 'd':
      case 'i': {
        long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);
        unsigned long long m = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
        put_number(m, v < 0, 10, 0, width, left, pad);
        break;
      }
      case 'u':
      case 'x':
      case 'X': {
        unsigned long long v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
        put_number(v, 0, *fmt == 'u' ? 10 : 16, *fmt == 'X', width, left, pad);
        break;
      }
      case 'p':
        rt_puts("0x");
        put_number((unsigned long long)va_arg(ap, void*), 0, 16, 0, width, left, pad);
        break;
      case 'c': {
        char c = (char)va_arg(ap, int);
        put_padded(&c, 1, width, left, ' ');
        break;
      }
      case 's': {
        const char* s = va_arg(ap, const char*);
        if (!s) s = "(null)";
        put_padded(s, strlen(s), width, left, ' ');
        break;
      }
      case '%':
        rt_putc('%');
        break;
      case '\0':
        return;
      default:
        rt_putc('%');
        rt_putc(*fmt);
        break;
    }
  }
}

void rt_printf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  rt_vprintf(fmt, ap);
  va_end(ap);
}

void rt_print_double_bits(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  rt_printf("0x%016llx", (unsigned long long)b);
}

void rt_print_float_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, sizeof b);
  rt_printf("0x%08x", b);
}

void rt_print_double(double d, int decimals) {
  if (d != d) {
    rt_puts("nan");
    return;
  }
  if (d < 0 || (d == 0 && 1 / d < 0)) {
    rt_putc('-');
    d = -d;
  }
  if (d > 1.8e19) {
    rt_puts(d == d * 2 ? "inf" : "huge");
    return;
  }
  unsigned long long ip = (unsigned long long)d;
  rt_printf("%llu", ip);
  if (decimals <= 0) return;
  rt_putc('.');
  double frac = d - (double)ip;
  for (int i = 0; i < decimals; ++i) {
    frac *= 10;
    int digit = (int)frac;
    rt_putc((char)('0' + digit));
    frac -= digit;
  }
}

static int failures;

void rt_check_fail(const char* file, int line, const char* expr) {
  ++failures;
  rt_printf("FAIL %s:%d: %s\n", file, line, expr);
}

int rt_failures(void) { return failures; }

void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  while (n--) *d++ = *s++;
  return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    while (n--) d[n] = s[n];
  }
  return dst;
}

void* memset(void* dst, int c, size_t n) {
  unsigned char* d = dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n; --n, ++x, ++y)
    if (*x != *y) return *x < *y ? -1 : 1;
  return 0;
}

size_t strlen(const char* s) {
  size_t n = 0;
  while (s[n]) ++n;
  return n;
}

// Programs define main() with or without (argc, argv): both are fine with
// the RISC-V calling convention.
int main(int argc, char** argv);
__attribute__((noreturn)) void rt_start(long argc, char** argv);
void rt_start(long argc, char** argv) { rt_exit(main((int)argc, argv)); }
