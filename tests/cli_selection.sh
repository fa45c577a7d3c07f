#!/usr/bin/env bash
# The CI flags of `vss-sim run` and `vss-sim test`, one check each: directories, --list, -k, --shard,
# --fail-fast, --timeout, --jobs (output order), --junit, and no progress line in a pipe.
# Usage: cli_selection.sh VSS_SIM SCENARIO_DIR TEST_SCENARIO_DIR PROGRAM WORK_DIR
set -u
vss=$1 scenarios=$2 tests=$3 program=$4 work=$5
mkdir -p "$work"
failures=0
ok() { echo "ok $1"; }
bad() { echo "FAIL $1: $2"; failures=$((failures + 1)); }
expect_rc() { # NAME EXPECTED ACTUAL
  [ "$3" -eq "$2" ] && return 0
  bad "$1" "exit code $3, expected $2"; return 1
}

# A directory is its *.toml sorted; --list prints the files and runs nothing.
out=$("$vss" run --list "$scenarios"); rc=$?
sorted=$(printf '%s\n' "$out" | sort)
n=$(printf '%s\n' "$out" | grep -c '\.toml$')
expect_rc run-list 0 $rc && { [ "$out" = "$sorted" ] && [ "$n" -ge 20 ] && ok run-list || bad run-list "not sorted or too few: $n"; }

# -k: substring or glob, several = any.
out=$("$vss" run --list -k freeze-timeout -k 'hyperv-*' "$scenarios")
[ "$(printf '%s\n' "$out" | xargs -n1 basename | tr '\n' ' ')" = \
  "freeze-timeout-default.toml freeze-timeout.toml hyperv-inconsistent-snapshot.toml " ] && ok run-k || bad run-k "$out"
"$vss" run -k 'no-such-*' "$scenarios" >/dev/null 2>"$work/k.err"; rc=$?
expect_rc run-k-none 2 $rc && grep -q "no scenario name matches" "$work/k.err" && ok run-k-none

# --shard: N shards together are the whole list, each scenario once, whatever order the files come in.
whole=$(printf '%s\n' "$("$vss" run --list "$scenarios")" | sort)
parts=$(for i in 1 2 3; do "$vss" run --list --shard $i/3 "$scenarios"; done | sort)
[ "$whole" = "$parts" ] && ok shard-union || bad shard-union "3 shards differ from the whole"
reversed=$(printf '%s\n' "$whole" | tac)
a=$("$vss" run --list --shard 2/3 "$scenarios" | sort)
# shellcheck disable=SC2086
b=$("$vss" run --list --shard 2/3 $reversed | sort)
[ "$a" = "$b" ] && ok shard-stable || bad shard-stable "shard 2/3 depends on the argument order"
"$vss" run --list --shard 4/3 "$scenarios" >/dev/null 2>"$work/shard.err"; rc=$?
expect_rc shard-bad 2 $rc && grep -q "expected I/N" "$work/shard.err" && ok shard-bad

# --jobs: the same bytes on stdout with one thread and with four (timings aside).
strip() { sed -E 's/, [0-9.]+ ms\)/)/'; }
one=$("$vss" run -j1 -k freeze -k hyperv -k exchange "$scenarios" 2>/dev/null | strip)
four=$("$vss" run -j4 -k freeze -k hyperv -k exchange "$scenarios" 2>/dev/null | strip)
[ "$one" = "$four" ] && [ -n "$one" ] && ok jobs-order || bad jobs-order "-j1 and -j4 print differently"
# No progress line (carriage return, escape) when stdout is a pipe.
"$vss" run -k freeze "$scenarios" 2>/dev/null | grep -q $'\r\|\x1b' && bad no-progress-in-pipe "control characters" \
  || ok no-progress-in-pipe

# On a terminal (script(1) gives one) the progress line is drawn and wiped: [done/total] and the next name.
if command -v script >/dev/null; then
  tty=$(script -qec "$vss run -j1 -k freeze-timeout $scenarios" /dev/null 2>/dev/null)
  case $tty in
    *$'\r\x1b[K[1/2] freeze-timeout'*) ok progress-on-terminal ;;
    *) bad progress-on-terminal "$(printf '%s' "$tty" | cat -v)" ;;
  esac
else
  echo "skip progress-on-terminal: no script(1)"
fi

# --timeout: a real-clock hour ends as TIMEOUT at once; the others still run and print in order.
start=$(date +%s)
out=$("$vss" run --timeout 0.5 "$tests/slow-real-clock.toml" "$scenarios/freeze-timeout.toml" \
  --junit "$work/run.xml" 2>/dev/null); rc=$?
took=$(( $(date +%s) - start ))
expect_rc run-timeout 1 $rc && case $out in
  "TIMEOUT slow-real-clock"*"PASS freeze-timeout"*"1 passed, 0 failed, 1 timed out") ok run-timeout ;;
  *) bad run-timeout "$out" ;;
esac
[ "$took" -lt 30 ] && ok run-timeout-prompt || bad run-timeout-prompt "took $took s"
grep -q '<error message="still running after 0.5 s' "$work/run.xml" && grep -q 'tests="2"' "$work/run.xml" \
  && ok run-junit-timeout || bad run-junit-timeout "$(cat "$work/run.xml")"

# --fail-fast: after the first failure nothing starts; the rest are NOT-RUN (and JUnit skipped).
bad_toml="$work/failing.toml"
sed -e 's/^name = "freeze-timeout"/name = "a-failing-freeze-timeout"/' -e "s/^count = 16/count = 99/" \
  "$scenarios/freeze-timeout.toml" >"$bad_toml"
grep -q 'count = 99' "$bad_toml" || bad fail-fast-setup "no count = 16 to change in freeze-timeout.toml"
out=$("$vss" run -j1 --fail-fast "$bad_toml" "$scenarios/freeze-timeout.toml" "$scenarios/hyperv-inconsistent-snapshot.toml" \
  --junit "$work/ff.xml" 2>/dev/null); rc=$?
expect_rc run-fail-fast 1 $rc && case $out in
  "FAIL a-failing-freeze-timeout"*"NOT-RUN freeze-timeout"*"NOT-RUN hyperv-inconsistent-snapshot"*"2 not run (--fail-fast)") ok run-fail-fast ;;
  *) bad run-fail-fast "$out" ;;
esac
[ "$(grep -c '<skipped' "$work/ff.xml")" -eq 2 ] && grep -q 'failures="1"' "$work/ff.xml" && ok run-junit-fail-fast \
  || bad run-junit-fail-fast "$(cat "$work/ff.xml")"

# run --junit: one case per scenario, a failure with its reproduce line.
"$vss" run "$bad_toml" "$scenarios/freeze-timeout.toml" --junit "$work/j.xml" >/dev/null 2>&1
grep -q 'tests="2" failures="1" errors="0"' "$work/j.xml" && grep -q 'reproduce: vss-sim run' "$work/j.xml" \
  && ok run-junit || bad run-junit "$(cat "$work/j.xml")"

# vss-sim test shares them: --list needs no program, -k and --shard select, --fail-fast stops.
out=$("$vss" test --list -k clean-backup-under-test "$tests/.."/scenarios); rc=$?
expect_rc test-list 0 $rc && [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] && ok test-list || bad test-list "$out"
parts=$(for i in 1 2; do "$vss" test --list --shard $i/2 "$scenarios"; done | sort)
[ "$parts" = "$("$vss" test --list "$scenarios" | sort)" ] && ok test-shard || bad test-shard "2 shards differ from the whole"
out=$("$vss" test -j1 --fail-fast --junit "$work/t.xml" "$tests/../scenarios/clean-backup-under-test-wrong.toml" \
  "$tests/../scenarios/clean-backup-under-test.toml" -- "$program" 2>/dev/null); rc=$?
expect_rc test-fail-fast 1 $rc && case $out in
  "FAIL    clean-backup-under-test-wrong"*"NOT-RUN clean-backup-under-test "*"1 not run (--fail-fast)"*) ok test-fail-fast ;;
  *) bad test-fail-fast "$out" ;;
esac
grep -q '<skipped message="not run: --fail-fast' "$work/t.xml" && ok test-junit || bad test-junit "$(cat "$work/t.xml")"

[ "$failures" -eq 0 ] || { echo "$failures failed"; exit 1; }
