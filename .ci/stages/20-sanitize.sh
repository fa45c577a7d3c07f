#!/usr/bin/env bash
# The same suites under AddressSanitizer and UndefinedBehaviorSanitizer, built with clang 14: the second
# compiler CI builds and tests with (issue 16), and UBSan checks GCC lacks (enum loads, which clang's
# -fsanitize=undefined includes; implicit integer truncation, float division by zero, local bounds).
# -fno-sanitize-recover: any report fails its test.
set -uo pipefail
rm -rf build-sanitize
echo build-sanitize/meson-logs/testlog.json >> "$VSSSIM_CI_TESTLOGS"
checks=implicit-integer-truncation,float-divide-by-zero,local-bounds
CXX="ccache clang++-14" ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  bash tests/run.sh build-sanitize -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false \
    "-Dcpp_args=-fsanitize=$checks -fno-sanitize-recover=all"
