#!/usr/bin/env bash
# vssapi.dll's export table, as objdump -p lists it, is exactly the names of vssapi.def.
set -euo pipefail
objdump=$1 dll=$2 def=$3
want=$(sed -n '/^EXPORTS/,$p' "$def" | sed -n 's/^[[:space:]]\+\([^=[:space:];]\+\).*/\1/p' | sort)
got=$("$objdump" -p "$dll" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' | sed -n 's/^[[:space:]]*\[[[:space:]]*[0-9]*\] //p' | sort)
if [ "$want" != "$got" ]; then
  echo "vssapi.dll exports differ from $def:"; diff <(echo "$want") <(echo "$got") || true
  exit 1
fi
echo "vssapi.dll exports the $(echo "$got" | wc -l) names of vssapi.def:"; echo "$got"
