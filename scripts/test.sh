#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Set-up command 2: install dependencies, build, run the whole test suite.
# Usage: scripts/test.sh [preset]   (default | asan | release; default: default)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
if [ "$(id -u)" -eq 0 ]; then scripts/install-deps.sh; else sudo scripts/install-deps.sh; fi
cmake --preset "$preset"
cmake --build --preset "$preset" -j "$(nproc)"
ctest --preset "$preset" -j "$(nproc)"
