#!/usr/bin/env bash
# vss-sim.exe run under Wine on the shipped scenario library: each scenario passes and matches its
# golden trace, as on Linux.
# Usage: run_library.sh VSS-SIM.EXE SCENARIO_DIR
set -uo pipefail
exe=$1 scenarios=$2
source "$(dirname "$0")/wine_env.sh"
wine_ready || { echo "wineboot failed"; exit 1; }
failures=0 count=0
for toml in "$scenarios"/*.toml; do
  golden=${toml%.toml}.trace
  [ -f "$golden" ] || continue
  count=$((count + 1))
  if out=$("$WINE" "$exe" run "$(winpath "$toml")" --golden "$(winpath "$golden")" --quiet 2>&1); then
    echo "ok $(basename "$toml")"
  else
    echo "FAIL $(basename "$toml"):"; echo "$out" | head -20; failures=$((failures + 1))
  fi
done
echo "vss-sim.exe run: $((count - failures)) of $count scenarios passed under Wine"
[ "$count" -gt 0 ] && [ "$failures" -eq 0 ]
