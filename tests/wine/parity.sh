#!/usr/bin/env bash
# tests/wine/full_backup.cpp built twice, by mingw-w64 against mingw-w64's own headers (run under Wine
# against vssapi.dll) and on Linux against vss-sim's: on each field scenario both print the same
# statuses, give the same verdict and exit status, and write the same VSSSIM_TRACE. Then the Windows
# build once more, finding CreateVssBackupComponents by its decorated name through GetProcAddress.
# Usage: parity.sh FULL_BACKUP.EXE VSSAPI.DLL LINUX_FULL_BACKUP SCENARIO_DIR WORK_DIR
set -uo pipefail
exe=$1 dll=$2 native=$3 scenarios=$4 work=$5
source "$(dirname "$0")/wine_env.sh"
if [ -z "$native" ] || [ ! -x "$native" ]; then
  echo "no Linux build of full-backup given (-Dnative_full_backup=...): nothing to compare with"; exit 77
fi
rm -rf "$work"; mkdir -p "$work/bin"
# Absolute, or winpath would make Z:scenarios of a relative one.
scenarios=$(cd "$scenarios" && pwd) work=$(cd "$work" && pwd)
# The program and vssapi.dll side by side, as a Windows backup program ships with the DLL.
cp "$exe" "$dll" "$work/bin/"
wine_ready || { echo "wineboot failed"; exit 1; }
failures=0
# The scenario path as each side was given it; the rest must be byte for byte the same.
here=$(cd "$(dirname "$0")" && pwd)
normalize() {
  local args=() d
  for d in "$scenarios" "$here"; do
    args+=(-e "s|$(winpath "$d" | sed 's/\\/\\\\/g')\\\\|DIR/|g" -e "s|$d/|DIR/|g")
  done
  sed "${args[@]}" -e 's/\r$//' "$1"
}
for s in freeze-timeout normal-backup exchange-writer-not-responding sqlwriter-noncomponent-postsnapshot non-bmp-writer; do
  toml=$scenarios/$s.toml
  [ -f "$toml" ] || toml=$here/$s.toml   # tests/wine's own
  VSSSIM_SCENARIO=$toml VSSSIM_TRACE=$work/$s.linux.trace "$native" >"$work/$s.linux.out" 2>"$work/$s.linux.err"
  linux_rc=$?
  (cd "$work/bin" && VSSSIM_SCENARIO=$(winpath "$toml") VSSSIM_TRACE=$(winpath "$work/$s.wine.trace") \
     "$WINE" full-backup.exe >"$work/$s.wine.out" 2>"$work/$s.wine.err")
  wine_rc=$?
  ok=1
  for part in out err trace; do
    if ! diff <(normalize "$work/$s.linux.$part") <(normalize "$work/$s.wine.$part") >"$work/$s.$part.diff"; then
      echo "FAIL $s: the $part differs (Linux < > Wine):"; head -20 "$work/$s.$part.diff"; ok=0
    fi
  done
  [ "$linux_rc" = "$wine_rc" ] || { echo "FAIL $s: exit status $linux_rc on Linux, $wine_rc under Wine"; ok=0; }
  [ -s "$work/$s.linux.trace" ] || { echo "FAIL $s: no trace written"; ok=0; }
  if [ $ok = 1 ]; then
    echo "ok $s: same statuses, verdict ($(grep -m1 -o '[0-9]* expectations checked, [0-9]* failed' "$work/$s.wine.err" || echo none)), exit status $wine_rc and trace ($(wc -l <"$work/$s.wine.trace") lines)"
  else
    failures=$((failures + 1))
  fi
done
# (b) GetProcAddress(LoadLibraryW(L"vssapi.dll"), "?CreateVssBackupComponents@@YAJPEAPEAVIVssBackupComponents@@@Z")
(cd "$work/bin" && VSSSIM_SCENARIO=$(winpath "$scenarios/normal-backup.toml") "$WINE" full-backup.exe --getprocaddress \
   >"$work/getprocaddress.out" 2>"$work/getprocaddress.err")
rc=$?
# Wine's C runtime ends lines with CRLF.
if [ $rc = 0 ] && tr -d '\r' <"$work/getprocaddress.out" | grep -q '^CreateVssBackupComponents (by its decorated name): 0x00000000$' &&
   diff <(tail -n +2 "$work/getprocaddress.out") <(tail -n +2 "$work/normal-backup.wine.out") >/dev/null; then
  echo "ok getprocaddress: the decorated name found in vssapi.dll, the same backup"
else
  echo "FAIL getprocaddress (exit status $rc):"; cat "$work/getprocaddress.out" "$work/getprocaddress.err"
  failures=$((failures + 1))
fi
exit $((failures > 0))
