# SPDX-License-Identifier: Apache-2.0
# Builds bare RV64GC programs (test programs, assembly kernels) with clang-16
# and lld-16, which know RISC-V without a cross toolchain.
find_program(TESSERA_RISCV_CC NAMES clang-16 REQUIRED)
find_program(TESSERA_RISCV_LD NAMES ld.lld-16 REQUIRED)
find_program(TESSERA_QEMU_RISCV64 NAMES qemu-riscv64)
find_program(TESSERA_LLVM_OBJCOPY NAMES llvm-objcopy-16 REQUIRED)

# Relaxation is off: lld 16 does not implement R_RISCV_ALIGN relaxation.
set(TESSERA_RISCV_CFLAGS --target=riscv64-unknown-elf -march=rv64gc -mabi=lp64d
    -mno-relax -ffreestanding -fno-builtin -nostdlib -static -O2)

file(GLOB TESSERA_RISCV_HEADERS CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/tests/riscv/*.h ${PROJECT_SOURCE_DIR}/include/tessera/hw/*.h)

# tessera_add_riscv_program(NAME SOURCES a.c b.S ... [LINK_ARGS ...] [CFLAGS ...]
#                           [DEPENDS ...] [BINARY | SHARED])
# Produces ${CMAKE_CURRENT_BINARY_DIR}/NAME.elf and a target NAME. With
# BINARY, also NAME.bin: the loadable image flattened from its first address
# (for tests that place code at a fixed address without an ELF loader).
# With SHARED, NAME.elf is a position-independent shared object linked like a
# T1 code object (ld.lld -shared -Bsymbolic --gc-sections --no-undefined);
# LINK_ARGS then go to ld.lld itself.
function(tessera_add_riscv_program name)
  cmake_parse_arguments(ARG "BINARY;SHARED" "" "SOURCES;LINK_ARGS;CFLAGS;DEPENDS" ${ARGN})
  set(srcs)
  foreach(s ${ARG_SOURCES})
    get_filename_component(abs ${s} ABSOLUTE)
    list(APPEND srcs ${abs})
  endforeach()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.elf)
  if(ARG_SHARED)
    _tessera_add_riscv_shared(${name} ${out} "${srcs}" "${ARG_CFLAGS}" "${ARG_LINK_ARGS}"
                              "${ARG_DEPENDS}")
    return()
  endif()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${TESSERA_RISCV_CC} ${TESSERA_RISCV_CFLAGS} ${ARG_CFLAGS}
            -I${PROJECT_SOURCE_DIR}/include -I${PROJECT_SOURCE_DIR}/tests/riscv
            --ld-path=${TESSERA_RISCV_LD} ${ARG_LINK_ARGS} -o ${out} ${srcs}
    DEPENDS ${srcs} ${ARG_DEPENDS} ${TESSERA_RISCV_HEADERS}
    COMMENT "RISC-V ${name}.elf"
    VERBATIM)
  set(outputs ${out})
  if(ARG_BINARY)
    set(bin ${CMAKE_CURRENT_BINARY_DIR}/${name}.bin)
    add_custom_command(
      OUTPUT ${bin}
      COMMAND ${TESSERA_LLVM_OBJCOPY} -O binary ${out} ${bin}
      DEPENDS ${out}
      VERBATIM)
    list(APPEND outputs ${bin})
  endif()
  add_custom_target(${name} ALL DEPENDS ${outputs})
endfunction()

# The clang driver's bare-metal target cannot link shared objects, so SHARED
# compiles each source to an object and calls ld.lld directly.
function(_tessera_add_riscv_shared name out srcs cflags link_args depends)
  set(compile_flags ${TESSERA_RISCV_CFLAGS})
  list(REMOVE_ITEM compile_flags -static -nostdlib)
  set(commands)
  set(objs)
  set(index 0)
  foreach(src ${srcs})
    get_filename_component(base ${src} NAME_WE)
    set(obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.objs/${index}_${base}.o)
    list(APPEND commands COMMAND ${TESSERA_RISCV_CC} ${compile_flags} ${cflags} -fPIC -c
         -I${PROJECT_SOURCE_DIR}/include -I${PROJECT_SOURCE_DIR}/tests/riscv -o ${obj} ${src})
    list(APPEND objs ${obj})
    math(EXPR index "${index} + 1")
  endforeach()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/${name}.objs
    ${commands}
    COMMAND ${TESSERA_RISCV_LD} -shared -Bsymbolic --gc-sections --no-undefined ${link_args}
            -o ${out} ${objs}
    DEPENDS ${srcs} ${depends} ${TESSERA_RISCV_HEADERS}
    COMMENT "RISC-V shared object ${name}.elf"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${out})
endfunction()
