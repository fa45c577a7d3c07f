#!/usr/bin/env bash
# The same suites under AddressSanitizer and UndefinedBehaviorSanitizer.
set -uo pipefail
rm -rf build-sanitize
echo build-sanitize/meson-logs/testlog.json >> "$VSSSIM_CI_TESTLOGS"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  bash tests/run.sh build-sanitize -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
