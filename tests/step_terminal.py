#!/usr/bin/env python3
"""vss-sim step as a person uses it, through a pseudo-terminal, and as a script uses it, through a pipe.
Usage: step_terminal.py VSS_SIM SCENARIO"""
import os
import pty
import select
import subprocess
import sys

vss_sim, scenario = sys.argv[1], sys.argv[2]


def fail(message, seen=""):
    print(f"FAIL: {message}\n--- output so far ---\n{seen}", file=sys.stderr)
    sys.exit(1)


# A terminal: prompts, one block per step, breakpoints, quit.
master, slave = pty.openpty()
proc = subprocess.Popen([vss_sim, "step", scenario], stdin=slave, stdout=slave, stderr=slave, close_fds=True)
os.close(slave)
seen = ""


def expect(text, timeout=30):
    global seen
    while text not in seen:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            fail(f"no '{text}' within {timeout} s", seen)
        try:
            chunk = os.read(master, 4096).decode("utf-8", "replace")
        except OSError:
            fail(f"the program ended before '{text}'", seen)
        if not chunk:
            fail(f"the program ended before '{text}'", seen)
        seen += chunk
    at = seen.index(text) + len(text)
    before, seen = seen[:at], seen[at:]
    return before


def send(line):
    os.write(master, (line + "\n").encode())


expect("(step) ")
send("n")
block = expect("(step) ")
for part in ("[1/", "Identify", "handler:", "row:     I1: Identify / ok", "after:   listed"):
    if part not in block:
        fail(f"the first step's block lacks '{part}'", block)
send("b Freez")
expect("did you mean 'Freeze'?")
expect("(step) ")
send("b SqlServerWriter")
expect("break at every SqlServerWriter event")
expect("(step) ")
send("c")
block = expect("(step) ")
if "break at SqlServerWriter" not in block or "-> SqlServerWriter" not in block:
    fail("continue did not stop at SqlServerWriter's first event", block)
send("b Freeze")
expect("break at every Freeze event")
expect("(step) ")
send("c")
block = expect("(step) ")
if "break at Freeze" not in block and "-> SqlServerWriter" not in block:
    fail("the second stop is neither a Freeze nor a SqlServerWriter event", block)
send("q")
try:
    code = proc.wait(timeout=30)
except subprocess.TimeoutExpired:
    proc.kill()
    fail("q did not end the program", seen)
if code != 0:
    fail(f"exit status {code} after q")

# A pipe: no prompt, one line per step, the end of input continues to the end.
out = subprocess.run([vss_sim, "step", scenario], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
lines = out.stdout.splitlines()
header = lines[0]
count = int(header.split(": ")[1].split(" ")[0])
steps = [l for l in lines if l.startswith("T+")]
if out.returncode != 0 or len(steps) != count or "(step)" in out.stdout:
    fail(f"pipe: exit {out.returncode}, {len(steps)} step lines for {count} events", out.stdout)
if not any("Microsoft Exchange Writer freeze window expired" in l and "row F4: " in l and "VSS_WS_FAILED_AT_FREEZE VSS_E_WRITERERROR_TIMEOUT" in l
           for l in steps):
    fail("pipe: no line for the Exchange Writer's expired window", out.stdout)
if not lines[-1].startswith("end of run at T+"):
    fail("pipe: no end line", out.stdout)
out = subprocess.run([vss_sim, "step", scenario], input="b Abort\nc\nq\n", capture_output=True, text=True, timeout=60)
if out.returncode != 0 or "break at Abort" not in out.stdout or "end of run" in out.stdout:
    fail("pipe: b Abort, c, q", out.stdout)
after_break = out.stdout.split("break at Abort")[1]
if "  > " not in after_break:
    fail("pipe: the stop lacks the writers' table", out.stdout)
print(f"ok: terminal and pipe; {count} events")
