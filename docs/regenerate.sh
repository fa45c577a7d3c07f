#!/usr/bin/env bash
# Rewrites the pictures in docs/ from the built vss-sim: the state diagrams (from the transition
# table) and the tutorial's timelines (from the shipped scenarios). tests/views_test.cpp fails when
# the table or a run changed and this was not run. Usage: bash docs/regenerate.sh [BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
vss_sim=$build/tools/vss-sim
for view in backup restore; do
  "$vss_sim" graph --view "$view" > "$here/states-$view.dot"
  dot -Tsvg "$here/states-$view.dot" > "$here/states-$view.svg"
done
# The six runs of docs/tutorial.md; the list is also in tests/views_test.cpp (kTutorialRuns).
for run in normal-backup exchange-retryable-shared-class freeze-timeout exchange-writer-not-responding \
           third-party-provider-veto normal-restore; do
  "$vss_sim" timeline "$here/../scenarios/$run.toml" --format svg -o "$here/timeline-$run.svg"
done
