#!/usr/bin/env bash
# A packager's first command: the release build with werror on (GCC 12 at -O3 warns where -O2 does not).
set -uo pipefail
rm -rf build-release
meson setup build-release --buildtype=release -Dtests=disabled && meson compile -C build-release
