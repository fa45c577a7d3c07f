#!/usr/bin/env bash
# The Linux build of full-backup on tests/wine/non-bmp-writer.toml: the writer's name past the BMP
# (U+1D11E) comes back from GetWriterStatusEx as the same character, not as its UTF-8 bytes widened
# one by one. parity.sh holds the Windows build under Wine to the same output.
# Usage: non_bmp_name.sh FULL_BACKUP SCENARIO
set -uo pipefail
out=$(VSSSIM_SCENARIO=$2 "$1" 2>&1) || { echo "$out"; exit 1; }
expected=$'  Writer \xF0\x9D\x84\x9E of scores: state 1,'
if ! grep -qF "$expected" <<<"$out"; then
  echo "no writer named 'Writer U+1D11E of scores' in the statuses:"; echo "$out" | grep -i 'of scores'; exit 1
fi
echo "ok: the non-BMP writer name round-trips through GetWriterStatusEx"
