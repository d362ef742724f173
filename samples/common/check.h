/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TS_CHECK: the error check every sample wraps its runtime calls in. On a
 * failing call it prints the call, the error's name, the runtime's detailed
 * message (tsGetLastErrorMessage) and file:line, then prints FAIL and exits
 * with status 1. Plain C so the C samples can use it too.
 */
#ifndef TESSERA_SAMPLES_CHECK_H
#define TESSERA_SAMPLES_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#include <tessera/tessera.h>

static inline void ts_check_failed(tsError_t error, const char* call, const char* file, int line) {
  /* The message is only valid until the next runtime call on this thread,
   * so it is copied before anything else is asked. */
  char message[1024];
  snprintf(message, sizeof message, "%s", tsGetLastErrorMessage());
  fprintf(stderr, "%s:%d: %s returned %s: %s\n", file, line, call, tsGetErrorName(error),
          message[0] != '\0' ? message : tsGetErrorString(error));
  printf("FAIL\n");
  fflush(stdout);
  exit(1);
}

#define TS_CHECK(call)                                              \
  do {                                                              \
    tsError_t ts_check_error_ = (call);                             \
    if (ts_check_error_ != tsSuccess)                               \
      ts_check_failed(ts_check_error_, #call, __FILE__, __LINE__);  \
  } while (0)

#endif /* TESSERA_SAMPLES_CHECK_H */
