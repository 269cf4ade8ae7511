#!/usr/bin/env python3
"""Stands in for ssh (run through a link named ssh first on PATH) and counts the tool's round trips to the VM.

The tool ends every script it sends with a printf of its end marker and reads the VM's answer up to that marker
before it sends what depends on it. A round trip is therefore a burst of sends with a marker, up to the next marker
the VM prints back. Everything is passed through unchanged to the real ssh, named by REAL_SSH; the count is
appended to the file named by ROUND_TRIPS_FILE when the session ends.
"""
import os
import subprocess
import sys
import threading

MARK = b"__EVERBIT_DONE_"
state = {"count": 0, "waiting": False}
lock = threading.Lock()

real = os.environ["REAL_SSH"]
if os.path.realpath(real) == os.path.realpath(__file__):
    sys.exit("count-round-trips: REAL_SSH names this stand-in, which would start itself: give the real ssh")
child = subprocess.Popen([real] + sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def sends():
    tail = b""
    while True:
        chunk = os.read(0, 65536)
        if not chunk:
            break
        # A marker may be split between two reads: look at the end of the one before too.
        if MARK in tail + chunk:
            with lock:
                if not state["waiting"]:
                    state["count"] += 1
                    state["waiting"] = True
        tail = chunk[-len(MARK):]
        child.stdin.write(chunk)
        child.stdin.flush()
    child.stdin.close()


threading.Thread(target=sends, daemon=True).start()
for line in child.stdout:
    if MARK in line:
        with lock:
            state["waiting"] = False
    sys.stdout.buffer.write(line)
    sys.stdout.buffer.flush()
code = child.wait()
with open(os.environ["ROUND_TRIPS_FILE"], "a") as out:
    out.write("%d\n" % state["count"])
sys.exit(code)
