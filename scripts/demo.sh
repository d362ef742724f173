#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Set-up command 1: install dependencies, build the default preset and run
# every sample (samples/) on the emulator. Each sample checks its result
# against the host and prints PASS or FAIL.
# Usage: scripts/demo.sh [sample-name ...]   (default: all of them)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -eq 0 ]; then scripts/install-deps.sh; else sudo scripts/install-deps.sh; fi
cmake --preset default
cmake --build --preset default -j "$(nproc)"

# The multi-device sample wants two emulated chips.
export TESSERA_EMU_DEVICES="${TESSERA_EMU_DEVICES:-2}"
if [ $# -gt 0 ]; then names=("$@"); else
  names=(device-query vector-add saxpy reduction matrix-multiply softmax histogram
         prefix-scan matrix-transpose streams multi-device runtime-compilation)
fi
failed=()
for name in "${names[@]}"; do
  exe="build/default/samples/$name/sample-$name"
  echo "==== $name"
  if [ ! -x "$exe" ]; then echo "no such sample: $name"; failed+=("$name"); continue; fi
  if ! (cd "build/default/samples/$name" && "./sample-$name"); then failed+=("$name"); fi
done
echo "===="
if [ ${#failed[@]} -eq 0 ]; then
  echo "all ${#names[@]} samples passed on the emulator"
else
  echo "failed: ${failed[*]}"
  exit 1
fi
