#!/bin/bash
# The README's first C++ example (what a new user copies first), written to OUT.cpp.
# usage: readme_example.sh README OUT.cpp
set -eu
awk '/^```cpp$/ { n++; if (n == 1) { inside = 1; next } } /^```$/ { inside = 0 } inside' "$1" > "$2"
grep -q 'CreateVssBackupComponents' "$2"
