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
# The reference tables of behaviour.md, listings.md and api.md: each block between
# `<!-- reference NAME -->` and `<!-- end -->` becomes `vss-sim reference NAME`.
for page in "$here"/behaviour.md "$here"/listings.md "$here"/api.md; do
  python3 - "$vss_sim" "$page" <<'PY'
import re, subprocess, sys
vss_sim, page = sys.argv[1], sys.argv[2]
text = open(page, encoding="utf-8").read()
def table(m):
    out = subprocess.run([vss_sim, "reference", m.group(1)], check=True, capture_output=True, text=True).stdout
    return f"<!-- reference {m.group(1)} -->\n{out}<!-- end -->"
text = re.sub(r"<!-- reference ([a-z-]+) -->\n.*?<!-- end -->", table, text, flags=re.S)
open(page, "w", encoding="utf-8").write(text)
PY
done
