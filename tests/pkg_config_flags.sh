#!/bin/bash
# vsssim.pc, installed and uninstalled, gives users only what they need: the public headers' folder
# and -lvsssim. No private folder, no -D of the library's own dependencies, no Requires.
# usage: pkg_config_flags.sh BUILD_ROOT SOURCE_ROOT
set -eu
build=$1 source=$2
failures=0
fail() { echo "pkg-config-flags: $*"; failures=$((failures + 1)); }

check() {   # check PC_DIR EXPECTED_INCLUDE_DIR
    local dir=$1 want=$2 flag
    export PKG_CONFIG_PATH=$dir
    for flag in $(pkg-config --cflags vsssim); do
        [ "$flag" = "-I$want" ] || fail "$dir: unexpected cflag '$flag' (only -I$want belongs there)"
    done
    [ -n "$(pkg-config --cflags vsssim)" ] || fail "$dir: no -I of the public headers"
    for flag in $(pkg-config --libs vsssim); do
        case $flag in -L*|-lvsssim) ;; *) fail "$dir: unexpected libs flag '$flag'" ;; esac
    done
    [ -z "$(pkg-config --print-requires --print-requires-private vsssim)" ] ||
        fail "$dir: Requires: $(pkg-config --print-requires --print-requires-private vsssim | tr '\n' ' ')"
}

check "$build/meson-uninstalled" "$source/api/include"
[ -f "$source/api/include/windows.h" ] && [ ! -e "$source/api/include/private.h" ] ||
    fail "the uninstalled -I is not the public headers' folder"
installed_includedir=$(PKG_CONFIG_PATH="$build/meson-private" pkg-config --variable=includedir vsssim)
check "$build/meson-private" "$installed_includedir/vsssim-1"
[ "$failures" -eq 0 ] || exit 1
echo "pkg-config-flags: installed and uninstalled vsssim.pc give only the public -I and -lvsssim"
