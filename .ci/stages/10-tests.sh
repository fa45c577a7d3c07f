#!/usr/bin/env bash
# The README's test command, as a user runs it.
set -uo pipefail
rm -rf build
echo build/meson-logs/testlog.json >> "$VSSSIM_CI_TESTLOGS"
bash tests/run.sh build
