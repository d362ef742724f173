#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Set-up command 1: install dependencies, build the default preset and run
# the emu-hello sample (a bare RV64GC program) on the T1 emulator.
# Usage: scripts/demo.sh [extra tessera-emu run options, e.g. --trace]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -eq 0 ]; then scripts/install-deps.sh; else sudo scripts/install-deps.sh; fi
cmake --preset default
cmake --build --preset default -j "$(nproc)"
exec build/default/emulator/tools/tessera-emu run "$@" build/default/samples/emu-hello/emu-hello.elf
