# SPDX-License-Identifier: Apache-2.0
# Runs one command and checks how it ends: the exit status, regular
# expressions on stderr (and stdout), and above all that it exited rather
# than died from a signal (a crash of tessera-emu is always a failure).
#
# cmake -DCMD="prog|arg|..." [-DSTATUS=N | -DSTATUS=nonzero]
#       [-DSTDERR_RE1=...] [-DSTDERR_RE2=...] [-DSTDERR_RE3=...] [-DSTDERR_RE4=...]
#       [-DSTDOUT_RE=...] -P expect_run.cmake
string(REPLACE "|" ";" cmd "${CMD}")
execute_process(COMMAND ${cmd} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc
                TIMEOUT 60)
set(problems)
if(NOT rc MATCHES "^[0-9]+$")
  list(APPEND problems "did not exit normally: ${rc}")
elseif(STATUS STREQUAL "nonzero")
  if(rc EQUAL 0)
    list(APPEND problems "exit status 0, expected non-zero")
  endif()
elseif(NOT STATUS STREQUAL "" AND NOT rc EQUAL STATUS)
  list(APPEND problems "exit status ${rc}, expected ${STATUS}")
endif()
foreach(i 1 2 3 4)
  if(DEFINED STDERR_RE${i} AND NOT err MATCHES "${STDERR_RE${i}}")
    list(APPEND problems "stderr does not match /${STDERR_RE${i}}/")
  endif()
endforeach()
if(DEFINED STDOUT_RE AND NOT out MATCHES "${STDOUT_RE}")
  list(APPEND problems "stdout does not match /${STDOUT_RE}/")
endif()
if(problems)
  string(REPLACE ";" "\n  " p "${problems}")
  string(SUBSTRING "${err}" 0 4000 err)
  string(SUBSTRING "${out}" 0 4000 out)
  message(FATAL_ERROR "${CMD}\n  ${p}\n--- stderr:\n${err}\n--- stdout:\n${out}")
endif()
message("ok: exit status ${rc}")
