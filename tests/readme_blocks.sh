#!/usr/bin/env bash
# Every ```cpp block of README.md compiles from nothing but the pkg-config line, and each one with a
# main() runs against the default simulation: the README's examples are tested code, not prose.
# Usage: readme_blocks.sh README BUILD_ROOT SANITIZE
set -eu
readme=$1 build=$2 sanitize=$3
export PKG_CONFIG_PATH="$build/meson-uninstalled"
flags=$(pkg-config --cflags --libs vsssim)
libdirs=$(pkg-config --libs-only-L vsssim | sed -e 's/-L//g' -e 's/ \+/:/g' -e 's/:$//')
san=""
[ "$sanitize" = none ] || san="-fsanitize=$sanitize"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
awk -v dir="$out" '/^```cpp$/ { n++; file = sprintf("%s/block%02d.cpp", dir, n); inside = 1; next }
                   /^```$/ { inside = 0; next }
                   inside { print > file }' "$readme"
count=0
for src in "$out"/block*.cpp; do
  [ -e "$src" ] || { echo "no cpp block in $readme"; exit 1; }
  count=$((count + 1))
  if grep -qE '^int w?main\(' "$src"; then
    g++ -std=c++20 -Wall -Wextra -Werror $san -o "${src%.cpp}" "$src" $flags
    LD_LIBRARY_PATH="$libdirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "${src%.cpp}" > "${src%.cpp}.out"
    echo "ok $(basename "$src"): compiled and ran ($(wc -l < "${src%.cpp}.out") lines of output)"
  else
    g++ -std=c++20 -Wall -Wextra -Werror $san -fsyntax-only "$src" $(pkg-config --cflags vsssim)
    echo "ok $(basename "$src"): compiled"
  fi
done
echo "$count README blocks"
