#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every Debian 12 package Tessera needs to build and test.
# Run as root. Idempotent: when everything is present it only checks and exits.
set -euo pipefail

PACKAGES=(
  # build
  cmake ninja-build g++ pkg-config
  # libraries
  libelf-dev
  # tests
  catch2 libmpfr-dev
  # RISC-V toolchain for test programs and kernels, FileCheck/lit
  clang-16 lld-16 llvm-16 llvm-16-tools python3
  # tessc: Clang, LLVM and lld 16 as libraries
  llvm-16-dev libclang-16-dev libclang-cpp16-dev liblld-16-dev
  # the device library's libm/libc (picolibc) and libgcc for RISC-V kernels
  picolibc-riscv64-unknown-elf gcc-riscv64-unknown-elf
  # differential testing and the benchmark baseline
  qemu-user
  # runtime benchmarks (Google Benchmark)
  libbenchmark-dev
  # the kernel module and the QEMU test (scripts/qemu/): QEMU, the headers to
  # build tessera.ko against (the guest kernel image that matches them is
  # fetched by scripts/qemu/guest-kernel.sh), make, depmod/modinfo/modprobe,
  # the guest's busybox and initramfs archiver, libdrm's headers and library
  qemu-system-x86 linux-headers-amd64 make kmod busybox-static cpio libdrm-dev
  # the kernel's W=1 build runs scripts/kernel-doc (Perl, needs Pod::Usage)
  perl
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or with sudo) to install them" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
