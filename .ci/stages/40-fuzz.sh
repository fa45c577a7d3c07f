#!/usr/bin/env bash
# The libFuzzer targets (fuzz/README.md), each for a short fixed time from its seed corpus, on clang 14
# with ASan+UBSan: any crash, leak, sanitizer report, timeout or checked property failing is a finding
# and fails the stage. The longer local run is in fuzz/README.md.
set -uo pipefail
seconds=${VSSSIM_FUZZ_SECONDS:-35}
rm -rf build-fuzz
CXX="ccache clang++-14" meson setup build-fuzz -Dfuzz=true -Dtests=disabled -Dbuildtype=debugoptimized \
  -Db_sanitize=address,undefined -Db_lundef=false "-Dcpp_args=-fno-sanitize-recover=all" \
  >/dev/null || exit 1
targets=(scenario-loader bcd-reader wmd-reader call-sequence)
meson compile -C build-fuzz "${targets[@]/#/fuzz/fuzz-}" || exit 1
rc=0
for t in "${targets[@]}"; do
  work=$(mktemp -d)   # what the run adds stays out of the seed corpus in the repo
  seeds=("fuzz/corpus/$t")
  [ "$t" = scenario-loader ] && seeds+=(scenarios tests/malformed)   # the shipped files, not copies
  echo "--- fuzz-$t for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       "build-fuzz/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="build-fuzz/$t-" -print_final_stats=1 "$work" "${seeds[@]}" 2>&1 | tail -n 40; then
    echo "=== fuzz-$t: FINDING (reproducer: build-fuzz/$t-*)"
    rc=1
  fi
  rm -rf "$work"
done
exit "$rc"
