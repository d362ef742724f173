#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The QEMU test: builds tessera.ko and an initramfs, fetches the guest kernel,
# serves an emulated T1 with `tessera-emu serve`, boots a Linux guest under
# QEMU/TCG with the T1 attached as an ivshmem-doorbell PCI device, runs the
# tests inside it and checks their result lines on the host.
# Exit status: 0 if every test passed, 1 if not, 77 if QEMU or the kernel
# headers are not installed (ctest's SKIP_RETURN_CODE).
#
# Usage: scripts/qemu/run-tests.sh [options] [--test 'NAME COMMAND']...
#   --build-dir DIR     CMake build tree (default: build/default; env TESSERA_QEMU_BUILD_DIR)
#   --list FILE         test list (default: tests/qemu/guest-tests.list when no
#                       --list or --test is given); may be repeated
#   --test 'NAME CMD'   one more test, in the list's line format
#   --only PATTERNS     run only tests whose names match one of the
#                       comma-separated shell patterns (env TESSERA_QEMU_TESTS)
#   --timeout SECS      limit for the whole guest run (default 180; env TESSERA_QEMU_TIMEOUT)
#   --test-timeout SECS limit for one test inside the guest (default 120)
#   --memory SIZE       device memory of each emulated T1 (default 256M)
#   --devices N         emulated T1 chips, linked, each a PCI device of the
#                       guest (default 1; env TESSERA_QEMU_DEVICES)
#   --serve-args ARGS   more `tessera-emu serve` options, e.g. '--tiles 4
#                       --watchdog-ms 2000' (env TESSERA_QEMU_SERVE_ARGS)
#   --qemu-args ARGS    more QEMU options, split at blanks, after the T1s
#   --module-args ARGS  parameters for tessera.ko, e.g. 'job_timeout_ms=60000'
#                       (env TESSERA_QEMU_MODULE_ARGS; passed on the guest's
#                       kernel command line as tessera.NAME=VALUE)
#                       (so these keep their PCI slots), e.g. another
#                       ivshmem device: '-object memory-backend-ram,id=m,size=4M
#                       -device ivshmem-plain,memdev=m' (env TESSERA_QEMU_ARGS)
#   --boots N           boot the guest N times in one QEMU process (default
#                       1): the tests run on every boot, named "bootK:NAME",
#                       and every boot but the last ends with `reboot -f`.
#                       QEMU then runs without -no-reboot; the server must
#                       serve every boot and still stop cleanly at the end.
#                       Needs BUILD_DIR/tests/qemu/tessera-qemu-cmos, which
#                       counts the boots in a CMOS byte of the guest's RTC
#   --guest-memory MIB  guest RAM (default: 512, more when the initramfs is
#                       large, since it is unpacked into RAM; env
#                       TESSERA_QEMU_GUEST_MEMORY)
#   --work-dir DIR      where the initramfs and logs go (default BUILD_DIR/qemu)
#   --kernel-cache DIR  guest kernel cache (default BUILD_DIR/qemu/kernel;
#                       env TESSERA_QEMU_KERNEL_CACHE)
#   --source DIR        tree with kmod/ and include/ to build the module from
#                       (default: this repository)
#   --emu PATH          tessera-emu binary (default BUILD_DIR/emulator/tools/tessera-emu)
# Environment: TESSERA_QEMU_LOCK=FILE holds flock FILE while the guest runs;
# TESSERA_QEMU_BUILD_LOCK=FILE holds it while the module builds.
#
# Test list format (one test per line; '#' starts a comment line):
#   NAME [VAR=value ...] COMMAND [ARG ...]
# The rest of the line after NAME is run by the guest's busybox sh, so
# '&&', quotes and VAR=value prefixes work. @BUILD@ and @SOURCE@ stand for
# the build and source trees. Every absolute path on the line is copied into
# the guest at the same path, with the shared libraries of ELF programs (see
# build-initramfs.sh); files a program reads without naming them can be
# named in a harmless variable: TESSERA_QEMU_FILES=/a:/b. A line starting
# with '?' is optional: it is left out, with a note, when a @BUILD@/@SOURCE@
# path on it does not exist (e.g. a component not built); otherwise a
# missing path is an error. Examples:
#   uapi-info  @BUILD@/tests/qemu/tessera-uapi-test device-info
#   ?sample-saxpy  TESSERA_BACKEND=drm @BUILD@/samples/saxpy/sample-saxpy
#   reload     tessera-reload-module && @BUILD@/tests/qemu/tessera-uapi-test functional
# The guest always adds two checks of its own: `modules` (every module
# loaded) and `kernel-log` (no kernel warning, bug or oops after loading).
# With --boots N every name, those two included, is reported once per boot
# as bootK:NAME, and the guest must boot exactly N times.
#
# Host actions: a guest test can ask the host to act on the emulator by
# printing a line on the console (stdout of a test goes there; flush it):
#   TESSERA-QEMU-HOST kill-emulator   SIGKILL `tessera-emu serve` (its death)
#   TESSERA-QEMU-HOST stop-emulator   SIGTERM it (the clean-stop path)
# The host acts on the first such request at once, writes nothing back (the
# guest notices the loss by itself), and ignores later requests. The
# end-of-run check then wants the server killed by SIGKILL, or exited 0
# after the SIGTERM, instead of a clean stop at the end; an unknown action
# fails the run. Without a request the server must stop cleanly on the
# SIGTERM the host sends after the guest powered off. The device stays gone
# for the rest of the guest's run: tests/qemu/device-*.list use this, each
# in a guest of its own.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export PATH="$PATH:/usr/sbin:/sbin"
here=$(cd "$(dirname "$0")" && pwd)
src_root=$(repo_root)

skip() {
  echo "$(basename "$0"): SKIP: $*"
  exit 77
}

build_dir=${TESSERA_QEMU_BUILD_DIR:-$src_root/build/default}
lists=() extra_tests=() only=${TESSERA_QEMU_TESTS:-}
timeout_s=${TESSERA_QEMU_TIMEOUT:-180} test_timeout=120 memory=256M
guest_mem=${TESSERA_QEMU_GUEST_MEMORY:-} devices=${TESSERA_QEMU_DEVICES:-1}
serve_args=${TESSERA_QEMU_SERVE_ARGS:-} qemu_args=${TESSERA_QEMU_ARGS:-} boots=1
module_args=${TESSERA_QEMU_MODULE_ARGS:-}
work_dir="" kernel_cache=${TESSERA_QEMU_KERNEL_CACHE:-} module_src=$src_root emu=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir=${2:?}; shift 2 ;;
    --list) lists+=("${2:?}"); shift 2 ;;
    --test) extra_tests+=("${2:?}"); shift 2 ;;
    --only) only=${2:?}; shift 2 ;;
    --timeout) timeout_s=${2:?}; shift 2 ;;
    --test-timeout) test_timeout=${2:?}; shift 2 ;;
    --memory) memory=${2:?}; shift 2 ;;
    --guest-memory) guest_mem=${2:?}; shift 2 ;;
    --devices) devices=${2:?}; shift 2 ;;
    --serve-args) serve_args=${2:?}; shift 2 ;;
    --qemu-args) qemu_args=${2:?}; shift 2 ;;
    --module-args) module_args=${2?}; shift 2 ;;
    --boots) boots=${2:?}; shift 2 ;;
    --work-dir) work_dir=${2:?}; shift 2 ;;
    --kernel-cache) kernel_cache=${2:?}; shift 2 ;;
    --source) module_src=${2:?}; shift 2 ;;
    --emu) emu=${2:?}; shift 2 ;;
    -h|--help) sed -n '3,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (--help lists the options)" ;;
  esac
done
[[ "$timeout_s" =~ ^[1-9][0-9]*$ ]] || die "--timeout wants whole seconds, got '$timeout_s'"
[[ "$devices" =~ ^[1-9][0-9]*$ ]] || die "--devices wants a count, got '$devices'"
[[ "$boots" =~ ^[1-9][0-9]*$ ]] && [ "$boots" -le 200 ] || die "--boots wants a count of 1..200, got '$boots'"
[ -d "$build_dir" ] || die "no build tree at $build_dir (configure and build first, or pass --build-dir)"
build_dir=$(cd "$build_dir" && pwd)
work_dir=${work_dir:-$build_dir/qemu}
kernel_cache=${kernel_cache:-$work_dir/kernel}
emu=${emu:-$build_dir/emulator/tools/tessera-emu}
if [ ${#lists[@]} -eq 0 ] && [ ${#extra_tests[@]} -eq 0 ]; then
  lists=("$src_root/tests/qemu/guest-tests.list")
fi

# Only a machine without QEMU or kernel headers skips; anything else that is
# missing is a failure.
command -v qemu-system-x86_64 >/dev/null 2>&1 ||
  skip "qemu-system-x86_64 is not installed (Debian package qemu-system-x86; scripts/install-deps.sh)"
dpkg-query -W -f='${Status}' linux-headers-amd64 2>/dev/null | grep -q "install ok installed" ||
  skip "linux-headers-amd64 is not installed (scripts/install-deps.sh installs it)"
[ -x "$emu" ] || die "no tessera-emu at $emu (build the emulator first)"
cmos_tool=$build_dir/tests/qemu/tessera-qemu-cmos
[ "$boots" -eq 1 ] || [ -x "$cmos_tool" ] ||
  die "--boots $boots needs $cmos_tool (build the tests first)"
need_tool timeout coreutils

# ---- the test list ----------------------------------------------------------
tests=()
add_test_line() {  # LINE ORIGIN
  local line=$1 origin=$2 optional=false
  line=$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$line")
  [ -z "$line" ] && return 0
  [[ "$line" == \#* ]] && return 0
  if [[ "$line" == \?* ]]; then optional=true; line=${line#\?}; fi
  local name=${line%%[[:space:]]*}
  if [ -n "$only" ]; then
    local match=false pat
    IFS=, read -ra pats <<<"$only"
    for pat in "${pats[@]}"; do
      # shellcheck disable=SC2053 # pattern match on purpose
      [[ "$name" == $pat ]] && match=true
    done
    $match || return 0
  fi
  line=${line//@BUILD@/$build_dir}
  line=${line//@SOURCE@/$src_root}
  # Paths that came from @BUILD@/@SOURCE@ must exist.
  local p
  for p in $(grep -oE "($build_dir|$src_root)/[^[:space:]\"':;&|]*" <<<"$line" || true); do
    if [ ! -e "$p" ]; then
      if $optional; then
        note "leaving out optional test '$name': $p does not exist"
        return 0
      fi
      die "test '$name' ($origin) names $p, which does not exist (not built?)"
    fi
  done
  tests+=("$line")
}
for list in "${lists[@]}"; do
  [ -f "$list" ] || die "no test list at $list"
  n=0
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    add_test_line "$line" "$list:$n"
  done <"$list"
done
for t in "${extra_tests[@]}"; do add_test_line "$t" "--test"; done
[ ${#tests[@]} -gt 0 ] || die "no tests to run${only:+ (--only '$only' matched none)}"
names=(modules)
for t in "${tests[@]}"; do names+=("${t%%[[:space:]]*}"); done
names+=(kernel-log)
expected=()
if [ "$boots" -eq 1 ]; then
  expected=("${names[@]}")
else
  for ((b = 1; b <= boots; b++)); do expected+=("${names[@]/#/boot$b:}"); done
fi

# ---- build --------------------------------------------------------------------
mkdir -p "$work_dir"
t0=$(date +%s.%N)
# The module of this source tree is built once per build tree and shared by
# every QEMU test that uses it (its stamp covers the sources); another
# --source gets its own build in the work directory.
kmod_dir=$work_dir
[ "$(cd "$module_src" && pwd)" != "$src_root" ] || kmod_dir=$build_dir/qemu-kmod
mkdir -p "$kmod_dir"
ko=$("$here/build-module.sh" "$kmod_dir" "$module_src")
vmlinuz=$("$here/guest-kernel.sh" "$kernel_cache")
kroot=${vmlinuz%/boot/*}
initrd="$work_dir/initramfs.cpio"
bi_args=(--kernel-root "$kroot" --module "$ko" --out "$initrd" --test-timeout "$test_timeout")
[ "$boots" -eq 1 ] || bi_args+=(--boots "$boots" --cmos-tool "$cmos_tool")
for t in "${tests[@]}"; do bi_args+=(--test "$t"); done
"$here/build-initramfs.sh" "${bi_args[@]}"
# The initramfs is unpacked into a tmpfs that may fill half of the RAM left
# beside the kernel and the still-loaded archive: about 3x its size.
initrd_mib=$(( ($(stat -c %s "$initrd") + (1 << 20) - 1) >> 20 ))
if [ -z "$guest_mem" ]; then
  guest_mem=$(( (3 * initrd_mib + 384 + 255) / 256 * 256 ))
  [ "$guest_mem" -ge 512 ] || guest_mem=512
fi
[[ "$guest_mem" =~ ^[1-9][0-9]*$ ]] || die "--guest-memory wants MiB, got '$guest_mem'"
t1=$(date +%s.%N)

# ---- serve and boot ---------------------------------------------------------
tmp=$(mktemp -d /tmp/tessera-qemu.XXXXXX)   # short: UNIX socket paths are limited
sock="$tmp/t1.sock"
serial_log="$work_dir/serial.log"
emu_log="$work_dir/emu.log"
emu_pid=""
actions_log="$tmp/host-actions"
cleanup() {
  if [ -n "$emu_pid" ] && kill -0 "$emu_pid" 2>/dev/null; then
    kill -KILL "$emu_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# watch_console PID: copies the guest console from stdin to stdout and acts
# on the guest's first TESSERA-QEMU-HOST request (see --help) by signalling
# PID, the server. Each request goes to $actions_log as "ACTION RC" (RC: the
# kill status, "ignored" for a later request, "unknown"). It is a stage of
# the console pipeline, so it ends with QEMU's output and needs no cleanup.
watch_console() {
  local awk_cmd=(awk)
  # mawk reads a pipe in blocks unless told otherwise: a request would wait
  # for more console output.
  # (No `| grep -q`: under pipefail grep's early exit can kill awk with
  # SIGPIPE and fail the test at random.)
  local awk_version
  awk_version=$(awk -W version 2>&1 || true)
  case "$awk_version" in *mawk*) awk_cmd=(awk -W interactive) ;; esac
  # shellcheck disable=SC2016 # an awk program, not shell
  "${awk_cmd[@]}" -v pid="$1" -v alog="$actions_log" -v me="$(basename "$0")" '
    { print; fflush() }
    match($0, /TESSERA-QEMU-HOST [A-Za-z0-9_-]+/) {
      action = substr($0, RSTART + 18, RLENGTH - 18)
      if (acted) {
        rc = "ignored"
        printf "%s: host action %s ignored: the server was signalled already\n", me,
          action > "/dev/stderr"
      } else if (action == "kill-emulator" || action == "stop-emulator") {
        acted = 1
        sig = action == "kill-emulator" ? "KILL" : "TERM"
        rc = system("kill -" sig " " pid " 2>/dev/null")
        printf "%s: host action %s: SIG%s to tessera-emu serve (pid %s): %s\n", me, action,
          sig, pid, rc == 0 ? "sent" : "failed, it had exited" > "/dev/stderr"
      } else {
        rc = "unknown"
        printf "%s: unknown host action %s requested by the guest\n", me, action > "/dev/stderr"
      }
      print action, rc >> alog
      close(alog)
    }'
}

# Module parameters travel on the kernel command line (tessera.NAME=VALUE);
# the guest's /init hands them to insmod.
kernel_module_args=
for a in $module_args; do kernel_module_args+=" tessera.$a"; done

run_guest() {
  local extra=()
  read -ra extra <<<"$serve_args"
  "$emu" serve --socket "$sock" --devices "$devices" --memory "$memory" "${extra[@]}" \
    >"$emu_log" 2>&1 &
  emu_pid=$!
  # The server listens before it prints its ready line; QEMU fails at once
  # if nothing listens on the socket.
  local i=0
  while [ ! -S "$sock" ] || ! grep -q 'ready' "$emu_log"; do
    if ! kill -0 "$emu_pid" 2>/dev/null; then
      cat "$emu_log" >&2
      die "tessera-emu serve exited before it was ready (log: $emu_log)"
    fi
    [ $i -lt 200 ] || die "tessera-emu serve was not ready on $sock within 10 s (log: $emu_log)"
    sleep 0.05
    i=$((i + 1))
  done
  note "booting the guest (${guest_mem} MiB, ${initrd_mib} MiB initramfs; limit ${timeout_s} s; serial log $serial_log)"
  # One ivshmem-doorbell per chip; each connection gets the next chip.
  local t1_args=() k more=() reboot_arg=(-no-reboot)
  for ((k = 0; k < devices; k++)); do
    t1_args+=(-chardev "socket,path=$sock,id=t1_$k" -device "ivshmem-doorbell,chardev=t1_$k,vectors=4")
  done
  read -ra more <<<"$qemu_args"
  # With more than one boot the guest's `reboot -f` resets it in the same
  # QEMU process; a panic (panic=-1) then reboots too, and the guest's
  # /init notices the boot too many.
  [ "$boots" -eq 1 ] || reboot_arg=()
  set +e
  # stdin from /dev/null: QEMU leaves the terminal alone and the guest
  # console gets no input.
  timeout -k 5 "$timeout_s" qemu-system-x86_64 \
    -machine pc -accel tcg -smp 1 -m "${guest_mem}M" -nodefaults -display none "${reboot_arg[@]}" \
    -serial stdio -kernel "$vmlinuz" -initrd "$initrd" \
    -append "console=ttyS0 rdinit=/init panic=-1 quiet$kernel_module_args" \
    "${t1_args[@]}" "${more[@]}" \
    </dev/null 2>&1 | tee -p "$serial_log" | watch_console "$emu_pid"
  qemu_rc=${PIPESTATUS[0]}
  # The server must stop cleanly on SIGTERM (a no-op when the guest had it
  # killed or stopped: then its status tells how it ended).
  kill -TERM "$emu_pid" 2>/dev/null
  i=0
  while kill -0 "$emu_pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
  if kill -0 "$emu_pid" 2>/dev/null; then
    emu_rc="hung"
    kill -KILL "$emu_pid" 2>/dev/null
    wait "$emu_pid" 2>/dev/null
  else
    wait "$emu_pid"
    emu_rc=$?
  fi
  emu_pid=""
  set -e
}

qemu_rc=0 emu_rc=0
if [ -n "${TESSERA_QEMU_LOCK:-}" ]; then
  need_tool flock util-linux
  exec 8>"$TESSERA_QEMU_LOCK"
  flock 8
  run_guest
  flock -u 8
else
  run_guest
fi
t2=$(date +%s.%N)

# ---- check --------------------------------------------------------------------
# The serial console ends lines with CR LF; a kernel message may land on
# the same line before a result, so the markers are not anchored.
results=$(tr -d '\r' <"$serial_log" | grep -a -o 'TESSERA-QEMU-.*' || true)
passed=0 failed=0 problems=()
printf '\n%-28s %-8s %s\n' "QEMU test" "result" "seconds"
for name in "${expected[@]}"; do
  line=$(grep -a -m1 "^TESSERA-QEMU-RESULT $name " <<<"$results" || true)
  secs=$(awk -v n="$name" '$1 == "TESSERA-QEMU-TIME" && $2 == n { printf "%.2f", $4 - $3; exit }' <<<"$results")
  if [ -z "$line" ]; then
    status="MISSING"
  else
    status=$(cut -d' ' -f3- <<<"$line")
  fi
  printf '%-28s %-8s %s\n' "$name" "${status%% *}" "${secs:--}"
  if [ "$status" = PASS ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    problems+=("$name: $status")
  fi
done
grep -qx 'TESSERA-QEMU-DONE' <<<"$results" || problems+=("the guest never printed TESSERA-QEMU-DONE")
booted=$(grep -c '^TESSERA-QEMU-BOOTED' <<<"$results" || true)
if [ "$booted" -ne "$boots" ]; then
  problems+=("the guest booted $booted times, not $boots (a reset or panic, or a reboot that did not come back?)")
fi
if grep -aq 'Initramfs unpacking failed' "$serial_log"; then
  problems+=("the ${initrd_mib} MiB initramfs did not fit in the guest's ${guest_mem} MiB (--guest-memory)")
fi
case "$qemu_rc" in
  0) ;;
  124|137) problems+=("QEMU was stopped after the ${timeout_s} s limit") ;;
  *) problems+=("QEMU exited with status $qemu_rc") ;;
esac
# What the guest asked the host to do, and how the server ended.
action="" action_rc=""
if [ -s "$actions_log" ]; then
  while read -r a rc; do
    case "$rc" in
      unknown) problems+=("the guest asked for an unknown host action '$a'") ;;
      ignored) ;;
      *) [ -n "$action" ] || { action=$a action_rc=$rc; } ;;
    esac
  done <"$actions_log"
fi
case "$action:$action_rc" in
  :)
    [ "$emu_rc" = 0 ] ||
      problems+=("tessera-emu serve did not stop cleanly on SIGTERM (status $emu_rc; log: $emu_log)") ;;
  kill-emulator:0|stop-emulator:0)
    want=0 how="exited 0 after the SIGTERM"
    [ "$action" = stop-emulator ] || { want=137; how="was killed by SIGKILL"; }
    if [ "$emu_rc" = "$want" ]; then
      echo "tessera-emu serve $how at the guest's request ($action), as intended"
    else
      problems+=("the guest asked to $action, but tessera-emu serve ended with status $emu_rc, not $want (log: $emu_log)")
    fi ;;
  *)
    problems+=("the guest asked to $action, but tessera-emu serve had already exited (status $emu_rc; log: $emu_log)") ;;
esac

awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "times: build %.1f s, guest %.1f s\n", b - a, c - b }'
if [ ${#problems[@]} -gt 0 ]; then
  echo "problems:"
  printf '  %s\n' "${problems[@]}"
  echo "serial log: $serial_log; emulator log: $emu_log"
fi
echo "qemu: $passed passed, $failed failed"
[ ${#problems[@]} -eq 0 ]
