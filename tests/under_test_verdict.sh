#!/usr/bin/env bash
# A program under test (VSSSIM_SCENARIO) fails like a sanitized one: a scenario that cannot be used stops
# it with exit status 3 and the loader's message; a failed verdict turns exit status 0 into
# VSSSIM_EXITCODE (default 1, 0 disables); VSSSIM_VERDICT receives the verdict as JSON.
# Usage: under_test_verdict.sh PROGRAM SCENARIO_DIR MALFORMED_DIR WORK_DIR
set -u
program=$1 scenarios=$2 malformed=$3 work=$4
mkdir -p "$work"
failures=0
check() { # NAME EXPECTED_STATUS STDERR_TEXT -- ENV... 
  local name=$1 expected=$2 text=$3; shift 4
  env "$@" "$program" >/dev/null 2>"$work/$name.stderr"
  local rc=$?
  if [ "$rc" -ne "$expected" ]; then
    echo "FAIL $name: exit status $rc, expected $expected"; cat "$work/$name.stderr"; failures=$((failures + 1))
  elif ! grep -qF -- "$text" "$work/$name.stderr"; then
    echo "FAIL $name: stderr lacks '$text'"; cat "$work/$name.stderr"; failures=$((failures + 1))
  else
    echo "ok $name"
  fi
}
check missing-file 3 "VSSSIM_SCENARIO=$work/typo.toml cannot be used" -- VSSSIM_SCENARIO="$work/typo.toml"
check malformed-file 3 "$malformed/bare-word-description.toml:" -- VSSSIM_SCENARIO="$malformed/bare-word-description.toml"
check verdict-held 0 "2 expectations checked, 0 failed" -- VSSSIM_SCENARIO="$scenarios/clean-backup-under-test.toml" \
  VSSSIM_VERDICT="$work/held.json"
check verdict-failed 1 "3 expectations checked, 1 failed" -- \
  VSSSIM_SCENARIO="$scenarios/clean-backup-under-test-wrong.toml" VSSSIM_VERDICT="$work/failed.json"
check exitcode-chosen 42 "1 failed" -- VSSSIM_SCENARIO="$scenarios/clean-backup-under-test-wrong.toml" VSSSIM_EXITCODE=42
check exitcode-disabled 0 "1 failed" -- VSSSIM_SCENARIO="$scenarios/clean-backup-under-test-wrong.toml" VSSSIM_EXITCODE=0
check exitcode-invalid 1 "VSSSIM_EXITCODE=x is not an exit status" -- \
  VSSSIM_SCENARIO="$scenarios/clean-backup-under-test-wrong.toml" VSSSIM_EXITCODE=x
# The program's own failure is never hidden: it exits 1 on its own here, and VSSSIM_EXITCODE does not replace it.
check own-status-kept 1 "3 expectations checked, 1 failed" -- \
  VSSSIM_SCENARIO="$scenarios/backup-under-test-wrong.toml" VSSSIM_EXITCODE=42 VSSSIM_VERDICT="$work/own.json"
python3 - "$work/held.json" "$work/failed.json" "$work/own.json" <<'PY' || failures=$((failures + 1))
import json, sys
held, failed, own = (json.load(open(p)) for p in sys.argv[1:4])
assert held["held"] is True and held["failures"] == [] and held["exit_status"] == 0, held
assert failed["held"] is False and failed["program_status"] == 0 and failed["exit_status"] == 1, failed
(f,) = failed["failures"]
assert f["file"].endswith("clean-backup-under-test-wrong.toml") and f["line"] > 0, f
assert f["expected"] == "VSS_WS_FAILED_AT_FREEZE", f
assert own["held"] is False and own["program_status"] == 1 and own["exit_status"] == 1, own
print("ok verdict-json")
PY
echo "$failures failed"
[ "$failures" -eq 0 ]
