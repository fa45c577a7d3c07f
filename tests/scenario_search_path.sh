#!/bin/bash
# A scenario named by its bare name: VSSSIM_SCENARIO_PATH before the shipped library, the current
# folder before both, and VSSSIM_SCENARIO=NAME in a requester as in `vss-sim run NAME`.
# usage: scenario_search_path.sh VSS_SIM REQUESTER TEST_SCENARIOS_DIR
set -eu
vss_sim=$1 requester=$2 dir=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$out"
VSSSIM_SCENARIO_PATH="/nonexistent:$dir" "$vss_sim" run --list clean-backup-under-test | grep -qx "$dir/clean-backup-under-test.toml"
"$vss_sim" run --list freeze-timeout | grep -q '/scenarios/freeze-timeout.toml$'
cp "$dir/clean-backup-under-test.toml" freeze-timeout.toml
"$vss_sim" run --list freeze-timeout | grep -qx 'freeze-timeout.toml'
rm freeze-timeout.toml
VSSSIM_SCENARIO_PATH=$dir VSSSIM_SCENARIO=clean-backup-under-test "$requester" > /dev/null 2> stderr ||
    { cat stderr; exit 1; }
grep -q 'clean-backup-under-test' stderr || { cat stderr; exit 1; }
set +e
VSSSIM_SCENARIO=no-such-scenario "$requester" > /dev/null 2> stderr
rc=$?
set -e
[ "$rc" -eq 3 ] && grep -q 'no scenario of this name' stderr || { echo "rc=$rc"; cat stderr; exit 1; }
echo "scenario-search-path: cwd, VSSSIM_SCENARIO_PATH, the shipped library; VSSSIM_SCENARIO by name"
