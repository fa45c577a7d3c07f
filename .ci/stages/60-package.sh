#!/usr/bin/env bash
# The packager's and the new user's path: build the .debs as Debian would (tests off inside the
# package build), install them, then build and run the README's first example against the INSTALLED
# package with pkg-config and with CMake, out of tree, and run a shipped scenario by name.
# The packages are removed at the end, so later stages see the machine as before.
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
work=$(mktemp -d /tmp/vsssim-package.XXXXXX)
cleanup() {
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq vss-sim libvsssim-dev libvsssim0 > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/src"
git ls-files -z | tar -cf - --null -T - | tar -xf - -C "$work/src"

echo "--- dpkg-buildpackage ($(date +%T))"
(cd "$work/src" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b > "$work/build.log" 2>&1) ||
  { tail -60 "$work/build.log"; exit 1; }
ls "$work"/*.deb

echo "--- apt-get install ($(date +%T))"
debs=("$work"/vss-sim_*.deb "$work"/libvsssim0_*.deb "$work"/libvsssim-dev_*.deb)
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${debs[@]}" > "$work/install.log" ||
  { cat "$work/install.log"; exit 1; }
dpkg -L libvsssim-dev | grep -q '/cmake/vsssim/vsssimConfig.cmake$'

src=$PWD
cd "$work"
bash "$src/tests/readme_example.sh" "$src/README.md" example.cpp
cp -r "$src/tests/cmake_consumer" cmake-project

echo "--- README example with pkg-config"
g++ -std=c++20 -Wall -Wextra -Werror -o example-pc example.cpp $(pkg-config --cflags --libs vsssim)
./example-pc | tee example-pc.out | head -3
grep -q ': \[' example-pc.out

echo "--- README example with CMake"
cmake -S cmake-project -B cmake-build -DEXAMPLE_SOURCE="$work/example.cpp" > cmake.log || { cat cmake.log; exit 1; }
cmake --build cmake-build > cmake-build.log || { cat cmake-build.log; exit 1; }
./cmake-build/readme-example > example-cmake.out
cmp example-pc.out example-cmake.out

echo "--- vss-sim run freeze-timeout (installed, by name)"
vss-sim run freeze-timeout
VSSSIM_SCENARIO=freeze-timeout ./example-pc > /dev/null
man -w vss-sim > /dev/null 2>&1 || [ -f /usr/share/man/man1/vss-sim.1.gz ]
[ -f /usr/share/doc/vss-sim/LICENSE ]
echo "package: built, installed, README example built and run with pkg-config and CMake, scenario run by name"
