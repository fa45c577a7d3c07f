#!/bin/bash
# As a subproject we bring the library and dependency('vsssim'), nothing else: no tests, benchmarks,
# examples, requesters or CLI of ours in the parent's build, nothing of ours in its install but the
# library's own files. With BUILD=build the parent also compiles and runs the README example.
# usage: subproject.sh SOURCE_ROOT [build]
set -eu
source=$1 mode=${2:-configure}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cp "$source/tests/subproject/meson.build" "$out/"
bash "$source/tests/readme_example.sh" "$source/README.md" "$out/example.cpp"
mkdir "$out/subprojects"
ln -s "$source" "$out/subprojects/vsssim"
meson setup "$out/build" "$out" --wrap-mode=nodownload > "$out/setup.log" || { cat "$out/setup.log"; exit 1; }
tests=$(meson introspect "$out/build" --tests | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
[ "$tests" -eq 0 ] || { echo "subproject: the parent's build registers $tests tests of ours"; exit 1; }
meson introspect "$out/build" --targets | python3 -c '
import json, sys
names = sorted(t["name"] for t in json.load(sys.stdin))
allowed = {"readme-example", "vsssim", "vsssim-internal"}
extra = [n for n in names if n not in allowed]
if extra:
    sys.exit("subproject: targets of ours beyond the library: " + ", ".join(extra))'
meson introspect "$out/build" --installed | python3 -c '
import json, sys
bad = [p for p in json.load(sys.stdin).values() if "/share/" in p or p.endswith("/vss-sim")]
if bad:
    sys.exit("subproject: installs of ours beyond the library: " + ", ".join(sorted(bad)))'
if [ "$mode" = build ]; then
    meson compile -C "$out/build" readme-example > "$out/compile.log" || { tail -30 "$out/compile.log"; exit 1; }
    "$out/build/readme-example" | grep -q ': \[' || { echo "subproject: the example printed no writer"; exit 1; }
fi
echo "subproject: dependency('vsssim') and only the library (mode $mode)"
