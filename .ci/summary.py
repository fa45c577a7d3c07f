# Prints "N passed, N failed" from one or more meson testlog.json files (JSON Lines).
# doctest cases are counted from their TAP lines; plain tests, crashes and timeouts by verdict.
# --failed-stages N adds the CI stages that failed outside any suite (a build that did not compile).
import json, sys
n = {"passed": 0, "failed": 0, "skipped": 0}
args = sys.argv[1:]
if args[:1] == ["--failed-stages"]:
    n["failed"] += int(args[1])
    args = args[2:]
verdict = {"OK": "passed", "EXPECTEDFAIL": "passed", "SKIP": "skipped"}
for path in args:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        n["failed"] += 1
        continue
    for line in lines:
        t = json.loads(line)
        cases = [l for l in (t.get("stdout") or "").splitlines() if l.startswith(("ok ", "not ok "))]
        for c in cases:
            n["skipped" if "# SKIP" in c else "passed" if c.startswith("ok") else "failed"] += 1
        if not cases or t["result"] not in ("OK", "FAIL"):
            n[verdict.get(t["result"], "failed")] += 1
print(f'{n["passed"]} passed, {n["failed"]} failed, {n["skipped"]} skipped')
