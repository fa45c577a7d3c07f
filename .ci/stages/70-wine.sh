#!/usr/bin/env bash
# Issue 16: vssapi.dll and vss-sim.exe cross-built by mingw-w64 and proven under Wine (budget 15 min):
# the export table, a requester built against mingw-w64's own headers giving the Linux build's
# statuses, verdicts and traces (and finding CreateVssBackupComponents by its decorated name), and
# vss-sim.exe run on the scenario library. Wine runs without a display, its prefix under build-win.
set -uo pipefail
for tool in x86_64-w64-mingw32-g++-posix /usr/lib/wine/wine64; do
  command -v "$tool" >/dev/null || { echo "$tool missing: .ci/install-deps installs it"; exit 1; }
done
# The requester's Linux build, from the first stage's build folder.
[ -f build/build.ninja ] || meson setup build >/dev/null || exit 1
meson compile -C build tests/wine/full-backup >/dev/null || exit 1
rm -rf build-win
meson setup build-win --cross-file cross/x86_64-w64-mingw32.ini \
  -Dnative_full_backup="$PWD/build/tests/wine/full-backup" >/dev/null || exit 1
meson compile -C build-win || exit 1
echo build-win/meson-logs/testlog.json >> "$VSSSIM_CI_TESTLOGS"
meson test -C build-win --suite wine --num-processes 1 --print-errorlogs
