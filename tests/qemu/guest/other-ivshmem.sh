#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# other-ivshmem.sh T1S OTHERS: run in the QEMU guest beside ivshmem devices
# that are not T1s (run-tests.sh --qemu-args '... -device ivshmem-plain,...';
# same PCI ids 1af4:1110). Checks that tessera.ko bound exactly the T1S
# chips, each with a render node, and left the OTHERS ivshmem devices
# alone: no driver bound, and its probe said why in the kernel log
# (kmod/tessera_drv.c: "... not a T1" for a BAR too small for the
# transport, kmod/tessera_hw.c: "... not ours" for one without it).
# Oopses are the kernel-log check's business.
[ $# -eq 2 ] || { echo "usage: other-ivshmem.sh T1S OTHERS" >&2; exit 2; }
want_t1=$1 want_other=$2
failed=0
fail() { echo "other-ivshmem: FAIL: $*"; failed=1; }

t1=0 other=0
for dev in /sys/bus/pci/devices/*; do
  [ "$(cat "$dev/vendor")" = 0x1af4 ] && [ "$(cat "$dev/device")" = 0x1110 ] || continue
  addr=${dev##*/}
  driver=none
  [ -L "$dev/driver" ] && driver=$(basename "$(readlink "$dev/driver")")
  # resource: one "start end flags" line per BAR; BAR2 is the shared memory.
  bar2=$(sed -n 3p "$dev/resource")
  # shellcheck disable=SC2086 # split into start, end, flags on purpose
  set -- $bar2
  shm=$(( $2 - $1 + 1 ))
  echo "other-ivshmem: $addr: ivshmem, $shm bytes of shared memory, driver $driver"
  if [ "$driver" = tessera ]; then
    t1=$((t1 + 1))
    has_node=false
    for n in "$dev"/drm/renderD*; do [ -e "$n" ] && has_node=true; done
    $has_node || fail "$addr is bound to tessera but has no render node"
  else
    other=$((other + 1))
    [ "$driver" = none ] || fail "$addr (not a T1) is bound to driver $driver"
    line=$(dmesg | grep "tessera $addr: " | grep -E 'not a T1|not ours' | head -n 1)
    if [ -n "$line" ]; then
      echo "other-ivshmem: $addr: the probe said: ${line#*tessera }"
    else
      fail "no probe message 'tessera $addr: ... not a T1' or '... not ours' in the kernel log"
    fi
  fi
done
[ "$t1" -eq "$want_t1" ] || fail "tessera bound $t1 ivshmem devices, not the $want_t1 T1s"
[ "$other" -eq "$want_other" ] || fail "$other ivshmem devices are not bound to tessera, not $want_other"

# The render nodes of the tessera driver: one per T1.
nodes=0
for node in /sys/class/drm/renderD*; do
  [ -L "$node/device/driver" ] || continue
  [ "$(basename "$(readlink "$node/device/driver")")" = tessera ] && nodes=$((nodes + 1))
done
[ "$nodes" -eq "$want_t1" ] || fail "$nodes tessera render nodes, not $want_t1"
bound=0
for b in /sys/bus/pci/drivers/tessera/0000:*; do [ -e "$b" ] && bound=$((bound + 1)); done
[ "$bound" -eq "$want_t1" ] || fail "/sys/bus/pci/drivers/tessera lists $bound devices, not $want_t1"

[ $failed -eq 0 ] && echo "other-ivshmem: $t1 T1s bound with $nodes render nodes; $other other ivshmem devices left alone"
exit $failed
