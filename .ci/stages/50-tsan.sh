#!/usr/bin/env bash
# ThreadSanitizer over what runs requester calls on several threads: the service and conformance
# suites and the stress test, sized for 64 concurrent sessions. Any report fails (halt_on_error).
set -uo pipefail
rm -rf build-tsan
echo build-tsan/meson-logs/testlog.json >> "$VSSSIM_CI_TESTLOGS"
# -Wno-tsan: GCC warns that TSan does not model the fences in Boost.Asio's io_context, which only the
# real clock uses; the suites here run on the virtual clock.
meson setup build-tsan -Dbuildtype=debugoptimized -Db_sanitize=thread -Db_lundef=false -Dcpp_args=-Wno-tsan \
  >/dev/null || exit 1
meson compile -C build-tsan tests/test-service tests/test-writer tests/test-conformance tests/test-stress || exit 1
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" VSSSIM_STRESS_THREADS=4 VSSSIM_STRESS_SESSIONS=64 \
  VSSSIM_STRESS_ROUNDS=10 meson test -C build-tsan --no-rebuild --num-processes 2 --print-errorlogs \
  service writer conformance stress   # the service suite is service and writer
