#!/bin/bash
# Build one program as a user outside Meson would: g++ and the uninstalled pkg-config line, nothing
# else. The library's folder goes into the program's run path, so it runs without LD_LIBRARY_PATH.
# A sanitized library needs a sanitized program: the runtime must come first (the CI's second build).
# usage: pkg_config_build.sh BUILD_ROOT SANITIZE SOURCE EXE [g++ flags...]
set -eu
build=$1 sanitize=$2 source=$3 exe=$4
shift 4
export PKG_CONFIG_PATH="$build/meson-uninstalled"
flags=$(pkg-config --cflags --libs vsssim)
rpath=$(pkg-config --libs-only-L vsssim | sed -e 's/-L/-Wl,-rpath,/g')
san=""
[ "$sanitize" = none ] || san="-fsanitize=$sanitize"
exec g++ -std=c++20 "$@" $san -o "$exe" "$source" $flags $rpath
