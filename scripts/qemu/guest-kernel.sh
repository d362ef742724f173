#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fetches the Debian kernel image that matches the installed
# linux-headers-amd64 (the guest kernel of the QEMU test), unpacks it and
# builds its modules.dep, all under DIR. Prints the vmlinuz path on stdout.
# A second run finds everything in DIR and does no network access.
#
# Usage: scripts/qemu/guest-kernel.sh DIR
# Layout: DIR/<release>/root/boot/vmlinuz-<release>
#         DIR/<release>/root/lib/modules/<release>/...   (depmod'ed)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export PATH="$PATH:/usr/sbin:/sbin"

[ $# -eq 1 ] || die "usage: $0 DIR"
need_tool dpkg-deb dpkg
need_tool depmod kmod

ver=$(kernel_version)
top="$1/$ver"
root="$top/root"
vmlinuz="$root/boot/vmlinuz-$ver"

if [ -f "$top/.complete" ] && [ -f "$vmlinuz" ]; then
  echo "$vmlinuz"
  exit 0
fi

mkdir -p "$top/debs"
rm -rf "$root"

# The unsigned image is the plain kernel; the signed one carries the same
# kernel with a Secure Boot signature. Either boots under QEMU.
candidates=("linux-image-$ver-unsigned" "linux-image-$ver")
deb=$(find "$top/debs" -maxdepth 1 -name 'linux-image-*.deb' | head -n1)
if [ -z "$deb" ]; then
  need_tool apt-get apt
  fetched=false
  for attempt in cached updated; do
    for pkg in "${candidates[@]}"; do
      # apt-get download writes into the current directory; running it as
      # root in a directory _apt cannot read only costs a warning.
      if (cd "$top/debs" && apt-get download -q "$pkg") >"$top/debs/apt.log" 2>&1; then
        fetched=true
        break 2
      fi
    done
    # A fresh machine may have no package lists yet.
    if [ "$attempt" = cached ]; then
      [ "$(id -u)" -eq 0 ] || break
      note "linux-image-$ver not in the package lists; running apt-get update"
      apt-get update -q >"$top/debs/apt-update.log" 2>&1 ||
        die "apt-get update failed (see $top/debs/apt-update.log)"
    fi
  done
  # Debian drops a kernel ABI's packages from its index once a newer ABI is
  # out; then the installed headers are older than any downloadable image.
  $fetched || die "cannot download ${candidates[*]} (see $top/debs/apt.log)." \
    "If the package index has a newer kernel, move the headers to it:" \
    "apt-get update && apt-get install linux-headers-amd64"
  deb=$(find "$top/debs" -maxdepth 1 -name 'linux-image-*.deb' | head -n1)
  [ -n "$deb" ] || die "apt-get download reported success but left no .deb in $top/debs"
fi

note "unpacking $(basename "$deb")"
mkdir -p "$root"
dpkg-deb -x "$deb" "$root"
[ -f "$vmlinuz" ] || die "$(basename "$deb") has no boot/vmlinuz-$ver"
[ -d "$root/lib/modules/$ver" ] || die "$(basename "$deb") has no lib/modules/$ver"
# The package ships no modules.dep; modprobe --show-depends needs it.
depmod -b "$root" "$ver"
touch "$top/.complete"
echo "$vmlinuz"
