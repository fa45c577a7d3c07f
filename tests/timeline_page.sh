#!/usr/bin/env bash
# vss-sim timeline, as a reader gets it: the page's content (lanes, boxes, labels, no network), and,
# where Debian's chromium is installed, the page rendered headless to a PNG and its DOM dumped after
# its script ran. Usage: timeline_page.sh VSS_SIM SCENARIOS_DIR static|chromium
set -u
vss_sim=$1 scenarios=$2 part=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
"$vss_sim" timeline "$scenarios/freeze-timeout.toml" -o "$out/run.html" || fail "timeline exited $?"
page=$out/run.html

if [ "$part" = static ]; then
  # One lane per writer plus the requester's.
  [ "$(grep -c '<g class="lane"' "$page")" -eq 17 ] || fail "expected 17 lanes"
  grep -q '<g class="lane" data-lane="requester">' "$page" || fail "no requester lane"
  grep -q 'data-lane="Microsoft Exchange Writer" data-event="freeze window expired"' "$page" || fail "no expiry box"
  grep -q '<g class="box fail"[^>]*data-lane="Microsoft Exchange Writer"' "$page" || fail "the expiry is not painted as a failure"
  grep -q 'table row: F4: FreezeWindowExpired / window (abort)' "$page" || fail "no F4 row"
  grep -q 'class="box req fail"[^>]*data-event="DoSnapshotSet"' "$page" || fail "DoSnapshotSet not failed"
  grep -q 'data-lane="SqlServerWriter" data-event="Abort"' "$page" || fail "no Abort box"
  grep -q 'data-event="BackupShutdown"' "$page" || fail "no BackupShutdown box"
  grep -q 'class="window freeze"' "$page" || fail "no freeze window"
  grep -q '>T+20.000s<' "$page" || fail "no time axis label at the expiry"
  grep -q 'table row: F1: Freeze / ok' "$page" || fail "no table row in the details"
  if grep -qE '<(script|link|img)[^>]+(src|href)=' "$page"; then fail "the page loads something"; fi
  "$vss_sim" timeline "$scenarios/hold-writes-timeout.toml" --format svg -o "$out/hold.svg" || fail "svg exited $?"
  grep -q 'class="window hold"' "$out/hold.svg" || fail "no hold-writes window"
  "$vss_sim" timeline "$scenarios/freeze-timeout.toml" --format perfetto -o "$out/run.json" || fail "perfetto exited $?"
  python3 - "$out/run.json" <<'PY' || fail "perfetto JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
events = doc["traceEvents"]
lanes = {e["args"]["name"] for e in events if e.get("name") == "thread_name"}
assert "requester" in lanes and "SqlServerWriter" in lanes, lanes
freeze = [e for e in events if e.get("name") == "Freeze" and e["tid"] == [n for n in events if n.get("name") == "thread_name" and n["args"]["name"] == "SqlServerWriter"][0]["tid"]]
assert freeze and freeze[0]["dur"] == 25_000_000, freeze
PY
  echo "ok: the page, the svg and the perfetto file hold the run"
  exit 0
fi

# chromium part: skipped (exit 77) where Debian's chromium is not installed, as in CI by default.
browser=$(command -v chromium || command -v chromium-browser) || { echo "chromium not installed: skipped"; exit 77; }
flags=(--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$out/profile")
timeout 120 "$browser" "${flags[@]}" --window-size=2800,800 --screenshot="$out/run.png" "file://$page" >/dev/null 2>&1 ||
  fail "chromium could not render the page"
[ "$(head -c 8 "$out/run.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] || fail "no PNG written"
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$page" > "$out/dom.html" 2>/dev/null || fail "no DOM dump"
boxes=$(grep -o '<g class="box' "$out/dom.html" | wc -l)
grep -q "data-boxes=\"$boxes\"" "$out/dom.html" || fail "the page's script did not run over its $boxes boxes"
[ "$(grep -o '<g class="lane"' "$out/dom.html" | wc -l)" -eq 17 ] || fail "the rendered DOM lacks lanes"
grep -q '>Freeze<' "$out/dom.html" || fail "no Freeze label in the rendered DOM"
echo "ok: rendered $(wc -c < "$out/run.png") bytes of PNG; the DOM has $boxes boxes"
