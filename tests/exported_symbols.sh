#!/bin/bash
# The shared library's ABI is what tests/exported-symbols.txt lists: the entry points the public
# headers mark VSSSIM_API. An export missing breaks every program built against the library; an
# export too many is an internal someone may start to depend on. Either way the list changes only
# on purpose (and a removed or changed name means a new soversion in simulator/meson.build).
# usage: exported_symbols.sh LIBRARY EXPECTED_LIST
set -eu
lib=$1 expected=$2
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
# The sanitizers' runtime hooks are the instrumentation's, not ours.
nm -D --defined-only "$lib" | awk '{ print $NF }' | grep -Ev '^(__asan|__odr_asan|__ubsan|__sanitizer|__tsan)' |
    c++filt | LC_ALL=C sort > "$actual"
if ! diff -u "$expected" "$actual"; then
    echo "exported-symbols: $lib exports other names than $expected (- missing, + unexpected)."
    echo "Mark an entry point VSSSIM_API in api/include, or update the list if the ABI change is meant."
    exit 1
fi
echo "exported-symbols: $(wc -l < "$actual") names, exactly the list"
