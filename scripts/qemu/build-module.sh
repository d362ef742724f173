#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the kernel module (kmod/) out of tree against the installed
# linux-headers-amd64, in a copy under BUILD_DIR so the source tree stays
# clean. kmod/ and include/ are copied side by side, so Kbuild paths such as
# $(src)/../include keep working. Prints the path of tessera.ko on stdout.
# An unchanged source tree is not rebuilt.
#
# Usage: scripts/qemu/build-module.sh BUILD_DIR [SOURCE_DIR]
#   SOURCE_DIR: the tree holding kmod/ and include/ (default: this repository)
# Environment: TESSERA_QEMU_BUILD_LOCK=FILE  hold flock FILE while building
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 BUILD_DIR [SOURCE_DIR]"
out=$1
src=${2:-$(repo_root)}
[ -f "$src/kmod/Makefile" ] || [ -f "$src/kmod/Kbuild" ] ||
  die "no kmod/Makefile or kmod/Kbuild in $src: the kernel module is not there"
need_tool make
need_tool gcc

ver=$(kernel_version)
kdir=$(kernel_headers_dir "$ver")
work="$out/kmod-build"
mkdir -p "$work"

# Fingerprint of what the build reads: skip the rebuild when it is unchanged.
stamp=$( (cd "$src" && find kmod include -type f \
            ! -name '*.o' ! -name '*.ko' ! -name '*.cmd' ! -name '*.mod*' \
            ! -name 'Module.symvers' ! -name 'modules.order' -print0 |
          sort -z | xargs -0 sha256sum; echo "$ver") | sha256sum | cut -d' ' -f1)
ko="$work/kmod/tessera.ko"
if [ -f "$ko" ] && [ "$(cat "$work/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$ko"
  exit 0
fi

rm -rf "$work/kmod" "$work/include" "$work/stamp"
cp -a "$src/kmod" "$src/include" "$work/"
# Leftovers of an in-tree build in the source would be taken as up to date.
(cd "$work/kmod" && find . \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o -name '*.mod' \
   -o -name '*.mod.c' -o -name 'Module.symvers' -o -name 'modules.order' \) -delete)

build() {
  # W=1: the kernel's extra warnings; the module must build without any.
  make -C "$kdir" M="$work/kmod" W=1 modules >"$work/build.log" 2>&1
}
note "building tessera.ko against $kdir"
status=0
if [ -n "${TESSERA_QEMU_BUILD_LOCK:-}" ]; then
  need_tool flock util-linux
  (flock 9 && build) 9>"$TESSERA_QEMU_BUILD_LOCK" || status=$?
else
  build || status=$?
fi
if [ $status -ne 0 ]; then
  cat "$work/build.log" >&2
  die "the kernel module failed to build (log: $work/build.log)"
fi
if grep -q 'warning:' "$work/build.log"; then
  grep -B2 -A3 'warning:' "$work/build.log" >&2
  die "the kernel module built with warnings (log: $work/build.log)"
fi
[ -f "$ko" ] || die "the build left no tessera.ko in $work/kmod (log: $work/build.log)"
echo "$stamp" >"$work/stamp"
echo "$ko"
