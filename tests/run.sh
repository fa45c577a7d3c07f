#!/usr/bin/env bash
# The README's test command: installs what is missing, configures, builds and runs every suite.
# Usage: bash tests/run.sh [BUILD_DIR [meson setup options...]]
set -uo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
bash .ci/install-deps || exit 1
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" --fatal-meson-warnings -Dtests=enabled "$@" || exit 1
fi
meson compile -C "$dir" || exit 1
meson test -C "$dir" --num-processes 2 --print-errorlogs
