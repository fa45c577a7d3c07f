#!/bin/bash
# VSSSIM_MACHINE: a persistent shadow copy made by one process is seen by the next and deleted by a
# third; a machine file that is corrupt, foreign or newer stops the program and is left untouched.
# `vss-sim machine init|show|reset` makes, lists and forgets such a machine.
# A writer failure a backup left (row X3) is what the next process sees, with the same instance id,
# on a machine made for a scenario.
# usage: machine_state.sh REQUESTER VSS_SIM FAILING_SCENARIO
set -u
requester=$1 vss_sim=$2 failing=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "machine-state: $*"; exit 1; }

"$vss_sim" machine init "$dir" || fail "machine init failed"
"$vss_sim" machine init "$dir" 2>/dev/null && fail "machine init over an existing machine succeeded"
export VSSSIM_MACHINE=$dir
created=$("$requester" create 2>/dev/null) || fail "create failed: $created"
id=$(echo "$created" | sed -n 's/^created \({.*}\)$/\1/p')
[ -n "$id" ] || fail "create printed no id: $created"
again=$("$requester" create 2>/dev/null | sed -n 's/^created //p')
[ -n "$again" ] && [ "$again" != "$id" ] || fail "a second process drew the same id ($again)"
listed=$("$requester" query 2>/dev/null)
echo "$listed" | grep -qiF "shadow $id of \\\\?\\Volume{" || fail "query in a new process does not list $id: $listed"
[ "$(echo "$listed" | grep -c '^shadow ')" = 2 ] || fail "expected 2 shadow copies: $listed"
shown=$("$vss_sim" machine show "$dir")
echo "$shown" | grep -qiF "Shadow Copy ID: $id" || fail "machine show does not list $id: $shown"
echo "$shown" | grep -qF 'HarddiskVolumeShadowCopy1' || fail "device numbers do not start at 1: $shown"
[ "$("$vss_sim" list-shadows --machine "$dir")" = "$shown" ] || fail "list-shadows --machine differs from machine show"
bare=${id#\{} bare=${bare%\}}
"$vss_sim" list-shadows --machine "$dir" --format vshadow | grep -qiF "SNAPSHOT ID = {$bare}" ||
    fail "list-shadows --format vshadow does not list $id: $("$vss_sim" list-shadows --machine "$dir" --format vshadow)"
"$requester" delete "$id" 2>/dev/null | grep -qx 'deleted 1' || fail "delete $id failed"
"$requester" query 2>/dev/null | grep -qiF "$id" && fail "$id still listed after delete"

"$requester" create-and-die >/dev/null 2>&1
[ "$("$requester" query 2>/dev/null | grep -c '^shadow ')" = 2 ] ||
    fail "the shadow copy of a requester killed after DoSnapshotSet is lost"
"$vss_sim" machine reset "$dir" || fail "machine reset failed"
"$vss_sim" machine show "$dir" | grep -qx 'No items found that satisfy the query.' || fail "reset kept shadow copies"

# X3: the Exchange writer times out at Freeze in one process; the next one reads its public status.
# The machine is made for the scenario, so its processes run under it without VSSSIM_SCENARIO.
"$vss_sim" machine init "$dir/x3" "$failing" || fail "machine init with a scenario failed"
VSSSIM_MACHINE=$dir/x3 VSSSIM_EXITCODE=0 "$requester" create >/dev/null 2>&1
left=$(VSSSIM_MACHINE=$dir/x3 VSSSIM_EXITCODE=0 "$requester" status 2>/dev/null)
echo "$left" | grep -q '^writer Microsoft Exchange Writer {.*} state 9 failure 0x800423f2$' ||
    fail "the next process does not see VSS_WS_FAILED_AT_FREEZE / VSS_E_WRITERERROR_TIMEOUT: $left"
# The file's keys are sorted: instance_id (then message, if any) comes right before name.
instance=$(grep -B2 "^name = 'Microsoft Exchange Writer'$" "$dir/x3/machine.toml" | sed -n "s/^instance_id = '\(.*\)'$/\1/p")
[ -n "$instance" ] || fail "no instance id of the Exchange writer in the machine file"
echo "$left" | grep -qiF "Exchange Writer $instance " || fail "instance id $instance not kept: $left"
listed=$("$vss_sim" list-writers "$failing" --machine "$dir/x3")
echo "$listed" | grep -A3 "Writer name: 'Microsoft Exchange Writer'" | grep -qF 'State: [9] Failed' ||
    fail "vss-sim list-writers --machine does not show the failure: $listed"

# R10 across processes: a requester killed after DoSnapshotSet leaves its writers' session slots held;
# with one slot per writer the next process's backup finds none (VSS_E_WRITER_STATUS_NOT_AVAILABLE)
# until the service reclaims them, two days after they were taken.
printf '[scenario]\nname = "one-slot"\ndescription = "one backup slot per writer"\n[service]\nbackup_slots = 1\n[requester]\nscript = "none"\n' \
    > "$dir/one-slot.toml"
"$vss_sim" machine init "$dir/slots" "$dir/one-slot.toml" || fail "machine init for the slot check failed"
VSSSIM_MACHINE=$dir/slots VSSSIM_EXITCODE=0 "$requester" create-and-die >/dev/null 2>&1
grep -q '^\[\[slot\]\]$' "$dir/slots/machine.toml" || fail "the killed requester's slots are not kept: $(cat "$dir/slots/machine.toml")"
VSSSIM_MACHINE=$dir/slots VSSSIM_EXITCODE=0 "$requester" create >/dev/null 2>&1
after=$(VSSSIM_MACHINE=$dir/slots VSSSIM_EXITCODE=0 "$requester" status 2>/dev/null)
echo "$after" | grep -q 'failure 0x80042409$' ||
    fail "the next backup got a slot although a killed requester holds them all: $after"

check_unusable() {   # check_unusable CONTENT MESSAGE
    printf '%s\n' "$1" > "$dir/machine.toml"
    cp "$dir/machine.toml" "$dir/before"
    err=$("$requester" query 2>&1 >/dev/null)
    status=$?
    [ "$status" = 3 ] || fail "exit status $status for: $1"
    echo "$err" | grep -qF "$2" || fail "no '$2' in: $err"
    cmp -s "$dir/machine.toml" "$dir/before" || fail "the file was overwritten: $1"
}
check_unusable 'format = "vss-sim machine"
version = [' "$dir/machine.toml:2:"
check_unusable 'format = "restic"
version = 1' "not a vss-sim machine file"
check_unusable 'format = "vss-sim machine"
version = 7' "version 7 is newer than this vss-sim's (1)"
echo "machine-state: init, create, query, show, delete and reset across processes; bad files refused and kept"
