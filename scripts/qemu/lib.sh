# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Helpers shared by the scripts in scripts/qemu/ (sourced, not run).

# die MESSAGE...: prints "<script>: MESSAGE" on stderr and exits 1.
die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# note MESSAGE...: progress on stderr, so stdout stays machine-readable.
note() {
  echo "$(basename "$0"): $*" >&2
}

# The repository root (scripts/qemu/../..).
repo_root() {
  (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
}

# kernel_version: the kernel release (e.g. 6.1.0-57-amd64) of the installed
# linux-headers-amd64 metapackage, read from its dependency on
# linux-headers-<release>. TESSERA_QEMU_KERNEL_VERSION overrides it.
kernel_version() {
  if [ -n "${TESSERA_QEMU_KERNEL_VERSION:-}" ]; then
    echo "$TESSERA_QEMU_KERNEL_VERSION"
    return
  fi
  local depends
  depends=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) ||
    die "linux-headers-amd64 is not installed (scripts/install-deps.sh installs it)"
  local ver
  ver=$(printf '%s\n' "$depends" | tr ',|' '\n' |
        sed -n 's/^ *linux-headers-\([0-9][^ ]*-amd64\)\b.*/\1/p' | head -n1)
  [ -n "$ver" ] || die "cannot find linux-headers-<version> in linux-headers-amd64's dependencies: '$depends'"
  echo "$ver"
}

# kernel_headers_dir VERSION: the kbuild tree of the installed headers.
kernel_headers_dir() {
  local dir="/usr/src/linux-headers-$1"
  [ -f "$dir/Makefile" ] || die "no kernel headers at $dir (install linux-headers-$1)"
  echo "$dir"
}

# need_tool NAME [PACKAGE]: fails with a hint when a host tool is missing.
need_tool() {
  command -v "$1" >/dev/null 2>&1 ||
    die "'$1' not found (install the Debian package ${2:-$1}; scripts/install-deps.sh does)"
}
