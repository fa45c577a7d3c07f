#!/bin/bash
# find_package(vsssim) -> vsssim::vsssim, as a CMake project sees it after `meson install`: the
# README's first example is built by CMake against a staged install of this build and run.
# usage: cmake_consumer.sh BUILD_ROOT SOURCE_ROOT SANITIZE
set -eu
build=$1 source=$2 sanitize=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
meson install -C "$build" --no-rebuild --quiet --destdir "$out/stage" > /dev/null
prefix=$(meson introspect "$build" --buildoptions | python3 -c '
import json, sys
opts = {o["name"]: o["value"] for o in json.load(sys.stdin)}
print(opts["prefix"], opts["libdir"])')
read -r prefix libdir <<< "$prefix"
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
bash "$source/tests/readme_example.sh" "$source/README.md" "$out/example.cpp"
flags=""
[ "$sanitize" = none ] || flags="-fsanitize=$sanitize"
cmake -S "$source/tests/cmake_consumer" -B "$out/cmake" -DCMAKE_PREFIX_PATH="$out/stage$prefix" \
      -DEXAMPLE_SOURCE="$out/example.cpp" -DCMAKE_CXX_FLAGS="$flags" > "$out/configure.log" ||
    { cat "$out/configure.log"; exit 1; }
cmake --build "$out/cmake" > "$out/build.log" || { cat "$out/build.log"; exit 1; }
LD_LIBRARY_PATH="$out/stage$libdir" "$out/cmake/readme-example" > "$out/listing"
grep -q 'VSS_WS_\|: \[' "$out/listing" || { echo "the example printed no writer"; cat "$out/listing"; exit 1; }
echo "cmake-consumer: find_package(vsssim) built and ran the README example ($(wc -l < "$out/listing") writers)"
