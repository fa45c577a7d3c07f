#!/bin/bash
# Build the VShadow-style requester from nothing but the pkg-config line and run it on two simulated
# Windows versions. usage: vshadow_style.sh PKG_CONFIG_BUILD BUILD_ROOT SOURCE SANITIZE
set -eu
pkg_config_build=$1 build=$2 source=$3 sanitize=$4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# A Unicode build, as VShadow's project is. -Wcast-function-type (in -Wextra) flags the
# (PFN)GetProcAddress(...) cast every Windows program makes; MinGW users silence it the same way.
bash "$pkg_config_build" "$build" "$sanitize" "$source" "$out/vshadow-style" \
    -DUNICODE -D_UNICODE -Wall -Wextra -Wno-cast-function-type -Werror
# The version in force is the scenario's [service] os: <VersionHelpers.h> and QueryInterface agree.
for pair in windows-10:10.0 windows-server-2008-r2:6.1; do
    os=${pair%%:*} version=${pair##*:}
    printf '[scenario]\nname = "os"\ndescription = "a Windows version"\n[service]\nos = "%s"\n[requester]\nscript = "none"\n' \
        "$os" > "$out/$os.toml"
    VSSSIM_SCENARIO="$out/$os.toml" "$out/vshadow-style" -wm C: "--os=$version" > "$out/stdout" \
        || { cat "$out/stdout"; exit 1; }
    grep -qE '^vshadow-style: all checks passed \(\\\\\?\\Volume\{[0-9a-f-]+\}\\ on C:\)$' "$out/stdout" \
        || { echo "unexpected output on $os:"; cat "$out/stdout"; exit 1; }
done
