#!/usr/bin/env bash
# Issue 10 item 6: `vss-sim test` over the shipped library with requesters written differently, and
# deliberately wrong requesters caught by the scenarios aimed at their mistake. Every
# program × scenario cell gets one line: "ok" or "FAIL" and why, with the verdict's detail lines.
# Correct programs: every scenario must be PASS, or N/A for a restore scenario when the program only
# backs up and the other way round (not N/A because it never got to start a backup). Wrong programs: every scenario aimed at the mistake must FAIL naming it.
# Usage: requesters.sh VSS_SIM WORK_DIR PROGRAM_DIR EXAMPLE_BACKUP SCENARIO.toml...
set -u
vss_sim=$1 work=$2 programs=$3 example_backup=$4
shift 4
library=("$@")
rm -rf "$work"
mkdir -p "$work"

correct=("$example_backup" "$programs/polling-backup" "$programs/ex3-backup" "$programs/restore")

# program                        mistake  scenarios aimed at it (docs/behaviour.md §19; each scenario's description)
wrong_table="
wrong-ignores-failure            M3       ntds-postsnapshot-nonretryable exchange-retryable-shared-class hyperv-inconsistent-snapshot
wrong-retries-at-once            M9       exchange-retryable-shared-class freeze-timeout
wrong-leaks-bstrs                M1       normal-backup exchange-retryable-shared-class
wrong-complete-after-failure     M7       freeze-timeout system-writers-veto-prepare-backup third-party-provider-veto
wrong-trusts-wait                M18      freeze-timeout third-party-provider-veto
wrong-leaks-async                M13      normal-backup freeze-timeout
"

# Cells known not to hold yet, and why (program, scenario or *, reason). Such a cell prints "pending";
# once it holds it fails the test, so that its line here is removed.
pending_table="
"

# One `vss-sim test --json` a program; the cells are judged from its JSON below.
run() { # NAME PROGRAM SCENARIO...
  local name=$1 program=$2
  shift 2
  "$vss_sim" test --jobs 2 --timeout 120 --json --logs "$work/$name.logs" "$@" -- "$program" \
    >"$work/$name.json" 2>"$work/$name.stderr"
  echo $? >"$work/$name.status"
}

: >"$work/plan"
for program in "${correct[@]}"; do
  name=$(basename "$program")
  run "$name" "$program" "${library[@]}"
  echo "correct $name -" >>"$work/plan"
done
while read -r name mistake aimed; do
  [ -n "$name" ] || continue
  files=()
  for s in $aimed; do
    for f in "${library[@]}"; do [ "$(basename "$f" .toml)" = "$s" ] && files+=("$f"); done
  done
  run "$name" "$programs/$name" "${files[@]}"
  echo "wrong $name $mistake" >>"$work/plan"
done <<<"$wrong_table"

echo "$pending_table" >"$work/pending"

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
pending = {}
for line in open(f"{work}/pending"):
    if line.strip():
        program, scenario, reason = line.split(None, 2)
        pending[(program, scenario)] = reason.strip()
failed = cells = waiting = 0
# The N/A reasons of `vss-sim test` (tools/test_command.cpp) that mean the scenario is of the other kind.
KIND_MISMATCH = ("a restore scenario; the program did no restore", "a backup scenario; the program did only restores")
for line in open(f"{work}/plan"):
    kind, name, mistake = line.split()
    try:
        results = json.load(open(f"{work}/{name}.json"))["results"]
    except (OSError, ValueError, KeyError) as e:
        print(f"FAIL {name}: vss-sim test gave no report ({e}); stderr:\n{open(f'{work}/{name}.stderr').read()}")
        failed += 1
        continue
    for r in results:
        cells += 1
        outcome, found = r["outcome"], sorted(set(r["mistakes"]))
        cell = f"{name} x {r['scenario']}: {outcome}"
        if found:
            cell += f" ({', '.join(found)})"
        if r["reason"]:
            cell += f"  {r['reason']}"
        if kind == "correct":
            good = outcome == "PASS" or (outcome == "N/A" and r["reason"] in KIND_MISMATCH)
            verdict = "ok  " if good else "FAIL"
        else:
            good = outcome == "FAIL" and mistake in found
            verdict = "ok  " if good else "FAIL"
            cell += f"  [caught: {mistake}]" if good else f"  [not caught: expected a FAIL naming {mistake}]"
            others = [m for m in found if m != mistake]
            if others:
                cell += f"  [also reported: {', '.join(others)}]"
        why = pending.get((name, r["scenario"])) or pending.get((name, "*"))
        if why and not good:
            verdict, good = "pending", True
            cell += f"  [{why}]"
            waiting += 1
        elif why:
            verdict, good = "FAIL", False
            cell += f"  [holds now: remove its pending line ({why})]"
        print(f"{verdict} {cell}")
        if not good or (kind == "wrong" and len(found) > 1):
            for d in r["details"]:
                print(f"        {d}")
        if not good:
            print(f"        reproduce: {r['reproduce']}")
            failed += 1
print(f"{cells} cells, {failed} failed, {waiting} pending")
sys.exit(1 if failed else 0)
PY
