#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the initramfs of the QEMU test: busybox with its applet links, the
# kernel modules tessera.ko needs (resolved against the guest kernel's module
# tree), tessera.ko, the programs the tests run with their shared-library
# closure and dynamic loader, the test list, and an /init that loads the
# modules, runs the tests and powers off.
#
# Usage: scripts/qemu/build-initramfs.sh --kernel-root DIR --module KO --out FILE
#          [--test-timeout SECS] [--file PATH]... [--test 'NAME COMMAND']...
#          [--boots N --cmos-tool PATH]
#   --kernel-root  the unpacked guest kernel package (guest-kernel.sh)
#   --module       tessera.ko (build-module.sh)
#   --out          the initramfs to write (an uncompressed newc cpio)
#   --test-timeout seconds one test may run before it is killed (default 300)
#   --file         an extra host file or folder to put in the guest (same path)
#   --test         one test: a name, blanks, then a busybox sh command line
#                  (VAR=value words first set its environment)
#   --boots N      boot the guest N times (default 1): the tests run on each
#                  boot, their names prefixed "bootK:", and every boot but
#                  the last ends with `reboot -f` instead of a power-off
#                  (QEMU must run without -no-reboot)
#   --cmos-tool    tessera-qemu-cmos (tests/qemu/guest/cmos.c), which --boots
#                  needs: the boot count lives in a CMOS byte of the RTC
#
# Guest file placement: every word of a test's command (and every value of a
# VAR=value word, split at ':') that is an absolute path of an existing host
# file or folder (not under /dev, /proc, /sys, /run) is copied into the
# guest at the same path; an ELF program also brings the shared libraries
# ldd lists for it, at the paths ldd names, and the dynamic loader. So
# build-tree programs keep their RUNPATH and the absolute paths compiled
# into them. A file a program reads without naming it on the command line
# can be named in a harmless variable on the test's line
# (TESSERA_QEMU_FILES=/a:/b) or with --file.
#
# In the guest: /etc/tessera-qemu/modules lists the modules in load order,
# /etc/tessera-qemu/tests the tests (one "NAME COMMAND" per line),
# tessera-reload-module (in PATH) removes and reinserts tessera.ko, and
# tessera-reload-lost 'REFUSAL' (in PATH) checks the module after its device
# was lost: rmmod works, and insmod again leaves the device unbound with the
# probe's REFUSAL (an extended regex) in the kernel log and no render node.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export PATH="$PATH:/usr/sbin:/sbin"

kroot="" module="" out="" test_timeout=300 boots=1 cmos_tool=""
tests=() files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --kernel-root) kroot=${2:?}; shift 2 ;;
    --module) module=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --test-timeout) test_timeout=${2:?}; shift 2 ;;
    --file) files+=("${2:?}"); shift 2 ;;
    --test) tests+=("${2:?}"); shift 2 ;;
    --boots) boots=${2:?}; shift 2 ;;
    --cmos-tool) cmos_tool=${2:?}; shift 2 ;;
    *) die "unknown argument '$1' (see the usage at the top of this script)" ;;
  esac
done
[ -n "$kroot" ] && [ -n "$module" ] && [ -n "$out" ] ||
  die "usage: $0 --kernel-root DIR --module KO --out FILE [--test 'NAME COMMAND']..."
[ -f "$module" ] || die "no module at $module"
[[ "$test_timeout" =~ ^[1-9][0-9]*$ ]] || die "--test-timeout wants whole seconds, got '$test_timeout'"
# The count must fit the CMOS byte, with room to see one boot too many.
[[ "$boots" =~ ^[1-9][0-9]*$ ]] && [ "$boots" -le 200 ] || die "--boots wants a count of 1..200, got '$boots'"
if [ "$boots" -gt 1 ]; then
  [ -n "$cmos_tool" ] && [ -x "$cmos_tool" ] ||
    die "--boots $boots needs --cmos-tool, the built tessera-qemu-cmos (got '${cmos_tool}')"
fi
need_tool cpio
need_tool busybox busybox-static
need_tool modinfo kmod
need_tool modprobe kmod

kver=$(find "$kroot/lib/modules" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | head -n1)
[ -n "$kver" ] && [ -f "$kroot/lib/modules/$kver/modules.dep" ] ||
  die "$kroot is not an unpacked, depmod'ed kernel (run guest-kernel.sh)"

mkdir -p "$(dirname "$out")"
stage=$(mktemp -d "${out}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc/tessera-qemu,lib/modules,root}

# copy_file HOST_PATH: puts the file at the same path in the guest,
# following symlinks, and (for a dynamically linked ELF) its libraries.
declare -A copied=()
copy_file() {
  local f=$1
  [ -n "${copied[$f]:-}" ] && return 0
  copied[$f]=1
  # The guest has its own /dev, /proc and /sys; a device file would be read.
  case "$f" in /dev|/dev/*|/proc|/proc/*|/sys|/sys/*|/run|/run/*|/tmp) return 0 ;; esac
  if [ ! -d "$f" ] && [ ! -f "$f" ]; then
    return 0
  fi
  if [ -d "$f" ]; then
    mkdir -p "$stage$f"
    cp -rL "$f/." "$stage$f/"
    return 0
  fi
  mkdir -p "$stage$(dirname "$f")"
  cp -L "$f" "$stage$f"
  # ldd fails on static programs and non-ELF files: nothing more to copy.
  local libs
  libs=$(ldd "$f" 2>/dev/null) || return 0
  if grep -q 'not found' <<<"$libs"; then
    die "$f needs shared libraries that are not found on the host: $(grep 'not found' <<<"$libs" | tr -s ' \t' ' ')"
  fi
  local lib
  # "libx.so => /path (addr)" and the loader's "/lib64/ld-linux... (addr)".
  for lib in $(sed -n -e 's/.*=> \(\/[^ ]*\) .*/\1/p' -e 's/^[[:space:]]*\(\/[^ ]*\) .*/\1/p' <<<"$libs"); do
    copy_file "$lib"
  done
}

# Busybox and its applets. A dynamically linked busybox works too: copy_file
# brings its libraries.
bb=$(command -v busybox)
copy_file "$bb"
[ "$bb" = /bin/busybox ] || cp -L "$bb" "$stage/bin/busybox"
while read -r applet; do
  [ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done < <("$bb" --list-full)
[ -e "$stage/bin/sh" ] || die "busybox has no sh applet"

# Modules: what tessera.ko depends on, in load order, then tessera.ko.
modlist="$stage/etc/tessera-qemu/modules"
: >"$modlist"
declare -A loaded=()
deps=$(modinfo -F depends "$module" | tr ',' ' ')
for dep in $deps; do
  lines=$(modprobe -d "$kroot" -S "$kver" --show-depends "$dep" 2>&1) ||
    die "cannot resolve module $dep (needed by $(basename "$module")) in $kroot: $lines"
  while read -r kind path _; do
    [ "$kind" = insmod ] || continue   # "builtin NAME": in the kernel already
    [ -z "${loaded[$path]:-}" ] || continue
    loaded[$path]=1
    rel=${path#"$kroot"}
    mkdir -p "$stage$(dirname "$rel")"
    case "$path" in
      *.ko) cp "$path" "$stage$rel" ;;
      *.ko.xz) need_tool xz xz-utils; xz -dc "$path" >"$stage${rel%.xz}"; rel=${rel%.xz} ;;
      *.ko.zst) need_tool zstd; zstd -qdc "$path" >"$stage${rel%.zst}"; rel=${rel%.zst} ;;
      *) die "unexpected module file $path" ;;
    esac
    echo "$rel" >>"$modlist"
  done <<<"$lines"
done
cp "$module" "$stage/lib/modules/tessera.ko"
echo /lib/modules/tessera.ko >>"$modlist"

# Tests and the files they name.
testlist="$stage/etc/tessera-qemu/tests"
: >"$testlist"
declare -A names=()
for t in "${tests[@]}"; do
  name=${t%%[[:space:]]*}
  cmd=$(sed -e 's/^[^[:space:]]*[[:space:]]*//' <<<"$t")
  [[ "$name" =~ ^[A-Za-z0-9_.:+-]+$ ]] || die "bad test name '$name' in: $t"
  [ -n "$cmd" ] || die "test '$name' has no command"
  [ -z "${names[$name]:-}" ] || die "test name '$name' appears twice"
  case "$name" in modules|kernel-log) die "test name '$name' is reserved" ;; esac
  names[$name]=1
  # xargs splits like a shell does (quotes included) without running anything.
  words=$(printf '%s\n' "$cmd" | xargs -n1 printf '%s\n' 2>/dev/null) ||
    die "test '$name': cannot split its command line (unbalanced quotes?): $cmd"
  while IFS= read -r w; do
    [[ "$w" =~ ^[A-Za-z_][A-Za-z0-9_]*=(.*)$ ]] && w=${BASH_REMATCH[1]}
    IFS=: read -ra parts <<<"$w"
    for p in "${parts[@]}"; do
      [[ "$p" == /* ]] && [ -e "$p" ] && copy_file "$p"
    done
  done <<<"$words"
  printf '%s %s\n' "$name" "$cmd" >>"$testlist"
done
for f in "${files[@]}"; do
  [[ "$f" == /* ]] && [ -e "$f" ] || die "--file $f: not an absolute path of an existing file"
  copy_file "$f"
done

# Parameters for tessera.ko from the kernel command line (tessera.NAME=VALUE,
# as modprobe would take them; busybox insmod does not look there).
cat >"$stage/bin/tessera-module-args" <<'MODARGS'
#!/bin/sh
for w in $(cat /proc/cmdline); do
  case "$w" in tessera.*) printf '%s ' "${w#tessera.}" ;; esac
done
MODARGS
chmod +x "$stage/bin/tessera-module-args"

cat >"$stage/bin/tessera-reload-module" <<'RELOAD'
#!/bin/sh
# Removes tessera.ko and inserts it again (the module reload test).
rmmod tessera || { echo "tessera-reload-module: rmmod tessera failed" >&2; exit 1; }
insmod /lib/modules/tessera.ko $(tessera-module-args) || { echo "tessera-reload-module: insmod tessera.ko failed" >&2; exit 1; }
# devtmpfs creates the node asynchronously.
i=0
while [ ! -e /dev/dri/renderD128 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -e /dev/dri/renderD128 ] || { echo "tessera-reload-module: no /dev/dri/renderD128 after reload" >&2; exit 1; }
RELOAD

cat >"$stage/bin/tessera-reload-lost" <<'RELOADLOST'
#!/bin/sh
# After the emulator died: the module unloads, and loading it again must
# not bring the device back: its probe refuses with $1 in the kernel log.
fail() { echo "tessera-reload-lost: $*" >&2; exit 1; }
[ $# -eq 1 ] || fail "usage: tessera-reload-lost 'REFUSAL REGEX'"
[ -e /dev/dri/renderD128 ] || fail "no /dev/dri/renderD128 before rmmod (was the device there?)"
rmmod tessera || fail "rmmod tessera failed after the device was lost"
i=0
while [ -e /dev/dri/renderD128 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ ! -e /dev/dri/renderD128 ] || fail "/dev/dri/renderD128 is still there after rmmod"
echo "tessera-reload-lost: rmmod tessera: ok"
before=$(dmesg | wc -l)
# The probe runs inside insmod: it waits T1_IVSHMEM_DEAD_MS for a heartbeat.
insmod /lib/modules/tessera.ko $(tessera-module-args)
rc=$?
probe_log=$(dmesg | tail -n +$((before + 1)))
echo "$probe_log"
if [ $rc -ne 0 ]; then
  echo "tessera-reload-lost: insmod failed (rc=$rc)"
  ! grep -q '^tessera ' /proc/modules || fail "insmod failed but the module is loaded"
else
  # The module loads; its probe must have refused the device.
  bound=$(ls -d /sys/bus/pci/drivers/tessera/0000:* 2>/dev/null)
  [ -z "$bound" ] || fail "the driver bound a device again: $bound"
  echo "tessera-reload-lost: insmod loaded the module; its probe refused the device"
fi
echo "$probe_log" | grep -Eq "$1" || fail "no probe refusal matching '$1' in the kernel log"
sleep 0.5
[ ! -e /dev/dri/renderD128 ] || fail "/dev/dri/renderD128 came back"
if grep -q '^tessera ' /proc/modules; then
  rmmod tessera || fail "rmmod tessera (with no device) failed"
fi
echo "tessera-reload-lost: the device stayed gone"
RELOADLOST

# The boot count's CMOS byte: past the ones QEMU's PC machine and SeaBIOS
# use (0x00..0x5f), so a reset and the firmware leave it alone.
cmos_boot_index=0x7e
sed -e "s/@TEST_TIMEOUT@/$test_timeout/" -e "s/@BOOTS@/$boots/" \
    -e "s/@CMOS_INDEX@/$cmos_boot_index/" >"$stage/init" <<'INIT'
#!/bin/sh
# The QEMU test's /init (written by scripts/qemu/build-initramfs.sh): loads
# the modules, runs /etc/tessera-qemu/tests, prints one result line per test
# and powers off. The host (run-tests.sh) reads the lines from the serial log.
# With more than one boot (build-initramfs.sh --boots) every boot but the
# last reboots instead, and result names carry the boot: "boot2:modules".
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# /tmp stays the initramfs's own (writable) directory: a tmpfs there would
# hide programs copied from a build tree under /tmp.
mkdir -p /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# The console may not have been openable before devtmpfs was mounted.
exec </dev/console >/dev/console 2>&1

uptime_s() { cut -d' ' -f1 /proc/uptime; }
boots=@BOOTS@ boot=1 prefix=""
result() { local what=$1; shift; echo "TESSERA-QEMU-RESULT $prefix$what $*"; }
finish() {
  sync
  if [ "$boot" -lt "$boots" ]; then
    echo "TESSERA-QEMU-REBOOT $boot"
    reboot -f
  else
    echo "TESSERA-QEMU-DONE"
    poweroff -f
  fi
  sleep 10
}

if [ "$boots" -gt 1 ]; then
  # Which boot this is: RAM and this initramfs are the same on every boot,
  # the RTC's CMOS bytes survive a reset (tessera-qemu-cmos explains).
  n=$(tessera-qemu-cmos @CMOS_INDEX@)
  case "$n" in
    ''|*[!0-9]*)
      echo "TESSERA-QEMU-BOOTED $(uname -r): cannot read the boot count (CMOS byte @CMOS_INDEX@)"
      boot=$boots
      finish ;;
  esac
  boot=$((n + 1))
  tessera-qemu-cmos @CMOS_INDEX@ "$boot" || echo "cannot write the boot count $boot to CMOS byte @CMOS_INDEX@"
  prefix="boot$boot:"
  echo "TESSERA-QEMU-BOOTED $(uname -r) at $(uptime_s) s, boot $boot of $boots"
  if [ "$boot" -gt "$boots" ]; then
    # A panic (panic=-1) or an unexpected reset: the host counts the boots.
    echo "TESSERA-QEMU-EXTRA-BOOT $boot"
    poweroff -f
    sleep 10
  fi
else
  echo "TESSERA-QEMU-BOOTED $(uname -r) at $(uptime_s) s"
fi
# Keep the boot messages out of the kernel-log check below.
dmesg -c >/tmp/dmesg-boot.txt

rc=0
while read -r mod; do
  args=
  [ "${mod##*/}" != tessera.ko ] || args=$(tessera-module-args)
  # shellcheck disable=SC2086 # the parameters are separate words
  insmod "$mod" $args || { rc=$?; echo "insmod $mod failed (rc=$rc)"; break; }
done </etc/tessera-qemu/modules
if [ $rc -ne 0 ]; then
  result modules FAIL rc=$rc
  dmesg | tail -n 40
  finish
fi
i=0
while [ ! -e /dev/dri/renderD128 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ -e /dev/dri/renderD128 ]; then
  echo "modules loaded; render node /dev/dri/renderD128"
else
  echo "modules loaded; no /dev/dri/renderD128 appeared"
fi
result modules PASS

cd /tmp
while read -r tname cmd; do
  echo "TESSERA-QEMU-START $prefix$tname"
  start=$(uptime_s)
  # stdin is not the test list; a hung test is killed.
  timeout -s KILL @TEST_TIMEOUT@ sh -c "$cmd" </dev/null
  rc=$?
  echo "TESSERA-QEMU-TIME $prefix$tname $start $(uptime_s)"
  if [ $rc -eq 0 ]; then
    result "$tname" PASS
  elif [ $rc -eq 137 ]; then
    result "$tname" FAIL rc=$rc "(killed: more than @TEST_TIMEOUT@ s, or SIGKILL)"
  else
    result "$tname" FAIL rc=$rc
  fi
  cd /tmp
done </etc/tessera-qemu/tests

# Kernel warnings, oopses or bugs since the modules were loaded fail the run.
dmesg >/tmp/dmesg.txt
pattern='WARNING:|BUG:|Oops|general protection|Call Trace|kernel BUG|UBSAN|KASAN|refcount_t:|list_add corruption|list_del corruption|INFO: task .* blocked|soft lockup|hard LOCKUP|RCU stall|rcu_sched detected'
if grep -Eq "$pattern" /tmp/dmesg.txt; then
  echo "---- kernel log since the modules were loaded"
  cat /tmp/dmesg.txt
  echo "----"
  result kernel-log FAIL rc=1 "(kernel warning, bug or oops)"
else
  echo "---- kernel log lines about tessera"
  grep -i tessera /tmp/dmesg.txt | tail -n 40
  echo "----"
  result kernel-log PASS
fi
finish
INIT
chmod 0755 "$stage/init" "$stage/bin/tessera-reload-module" "$stage/bin/tessera-reload-lost"
if [ "$boots" -gt 1 ]; then
  cp -L "$cmos_tool" "$stage/bin/tessera-qemu-cmos"
  chmod 0755 "$stage/bin/tessera-qemu-cmos"
fi

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
note "initramfs $out: $(du -h "$out" | cut -f1), $(wc -l <"$modlist") modules, ${#tests[@]} tests"
