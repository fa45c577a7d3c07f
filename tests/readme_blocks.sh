#!/usr/bin/env bash
# Every ```cpp block of README.md compiles from nothing but the pkg-config line, and each one with a
# main() runs against the default simulation; every ```sh block runs too, in a scratch folder where
# build/ is the build under test and list.cpp the first C++ block. The README's examples are tested
# code, not prose. Not run here, by their first line: the opening install-and-build line (it is what
# CI itself runs), the VShadow build (Microsoft's sample is not in this repository), the CI job
# (its ./my-backup is the reader's own program) and the release benchmarks (a build of their own).
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
awk -v dir="$out" '/^```sh$/ { n++; file = sprintf("%s/shell%02d.sh", dir, n); inside = 1; next }
                   /^```$/ { inside = 0; next }
                   inside { print > file }' "$readme"
cp "$out/block01.cpp" "$out/list.cpp"
ln -s "$build" "$out/build"
ln -s "$(dirname "$readme")/scenarios" "$out/scenarios"
for sh in "$out"/shell*.sh; do
  first=$(head -n 1 "$sh")
  case $first in
    "bash .ci/install-deps && meson setup build && meson compile -C build && "*|"cd Samples/VShadowVolumeShadowCopy/cpp"|\
    "bash .ci/install-deps && meson setup build && meson compile -C build"|"meson setup build-release "*)
      echo "ok $(basename "$sh"): not run here ($first)"; continue ;;
  esac
  count=$((count + 1))
  # Under a sanitizer the library needs its runtime in the program that loads it.
  (cd "$out" && sed "s/^g++ /g++ $san /" "$sh" | bash -euo pipefail > "${sh%.sh}.out")
  echo "ok $(basename "$sh"): ran ($(wc -l < "${sh%.sh}.out") lines of output)"
done
echo "$count README blocks"
