#!/usr/bin/env bash
# The CLI smoke tests of tests/meson.build: run a command, compare its exit code with the expected
# one and, optionally, check its stdout. Meson's should_fail only knows "non-zero"; the exit codes
# are part of the interface (vss-sim help exit-codes), so each test names the one it expects.
# Usage: cli_exit.sh EXPECTED_CODE [--contains TEXT]... [--count REGEX N] -- COMMAND [ARGS...]
set -u
expected=$1
shift
contains=()
count_regex=""
count_expected=""
while [ $# -gt 0 ]; do
  case $1 in
    --contains) contains+=("$2"); shift 2 ;;
    --count) count_regex=$2; count_expected=$3; shift 3 ;;
    --) shift; break ;;
    *) echo "cli_exit.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
command="$*"
out=$("$@")
rc=$?
fail() {
  echo "FAIL: $*" >&2
  echo "command: $command" >&2
  printf 'stdout:\n%s\n' "$out" >&2
  exit 1
}
[ "$rc" -eq "$expected" ] || fail "exit code $rc, expected $expected"
for text in ${contains[@]+"${contains[@]}"}; do
  case $out in
    *"$text"*) ;;
    *) fail "stdout lacks '$text'" ;;
  esac
done
if [ -n "$count_regex" ]; then
  n=$(printf '%s\n' "$out" | grep -cE -- "$count_regex")
  [ "$n" -eq "$count_expected" ] || fail "$n lines match '$count_regex', expected $count_expected"
fi
exit 0
