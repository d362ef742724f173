# SPDX-License-Identifier: Apache-2.0
# Differential test: runs PROG under qemu-riscv64 and `tessera-emu run` and
# requires identical stdout and exit status. On a mismatch prints a unified
# diff of the outputs (both are kept in OUT_DIR for inspection).
#
# cmake -DEMU=... -DQEMU=... -DPROG=x.elf -DARGS="a|b c" -DOUT_DIR=... -P diff_qemu.cmake
if(NOT QEMU)
  message("SKIPPED: qemu-riscv64 not found (scripts/install-deps.sh installs qemu-user)")
  return()
endif()
if(ARGS STREQUAL "")
  set(args)
else()
  string(REPLACE "|" ";" args "${ARGS}")
endif()
get_filename_component(name ${PROG} NAME_WE)
file(MAKE_DIRECTORY ${OUT_DIR})

execute_process(COMMAND ${QEMU} ${PROG} ${args}
  OUTPUT_FILE ${OUT_DIR}/${name}.qemu.out ERROR_VARIABLE qemu_err RESULT_VARIABLE qemu_rc
  TIMEOUT 120)
execute_process(COMMAND ${EMU} run ${PROG} ${args}
  OUTPUT_FILE ${OUT_DIR}/${name}.emu.out ERROR_VARIABLE emu_err RESULT_VARIABLE emu_rc
  TIMEOUT 120)

if(NOT emu_rc MATCHES "^[0-9]+$")
  message(FATAL_ERROR "tessera-emu did not exit normally: ${emu_rc}\nstderr:\n${emu_err}")
endif()
if(NOT qemu_rc MATCHES "^[0-9]+$")
  message(FATAL_ERROR "qemu-riscv64 did not exit normally: ${qemu_rc}\nstderr:\n${qemu_err}")
endif()

file(READ ${OUT_DIR}/${name}.qemu.out qemu_out)
file(READ ${OUT_DIR}/${name}.emu.out emu_out)
set(failed FALSE)
if(NOT qemu_out STREQUAL emu_out)
  set(failed TRUE)
  execute_process(COMMAND diff -u --label qemu-riscv64 --label tessera-emu
                          ${OUT_DIR}/${name}.qemu.out ${OUT_DIR}/${name}.emu.out
                  OUTPUT_VARIABLE d)
  # Keep the log readable: the first 80 lines of the diff say enough.
  string(REGEX MATCHALL "[^\n]*\n" lines "${d}")
  list(LENGTH lines n)
  if(n GREATER 80)
    list(SUBLIST lines 0 80 lines)
    list(APPEND lines "... (${n} diff lines in all; outputs in ${OUT_DIR})\n")
  endif()
  string(JOIN "" d ${lines})
  message("stdout differs:\n${d}")
endif()
if(NOT qemu_rc EQUAL emu_rc)
  set(failed TRUE)
  message("exit status differs: qemu-riscv64 ${qemu_rc}, tessera-emu ${emu_rc}")
endif()
if(failed)
  message(FATAL_ERROR "${name}: tessera-emu differs from qemu-riscv64\n"
                      "tessera-emu stderr:\n${emu_err}")
endif()
string(LENGTH "${emu_out}" len)
message("${name}: identical (${len} bytes of stdout, exit status ${emu_rc})")
