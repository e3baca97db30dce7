# A library whose import starts processes that inherit its stderr: one in
# the interpreter's process group, one a daemon in a session of its own.
# SNAKEGEN_FIXTURE_THEN says what the import does next: "return" (the
# default), "hang", or a number of seconds to sleep. With
# SNAKEGEN_FIXTURE_PIDS=FILE, the pids (interpreter, child, daemon) are
# written to FILE first, for the tests to watch and clean up.
import os
import subprocess
import time

child = subprocess.Popen(["sleep", "60"])
daemon = subprocess.Popen(["sleep", "60"], start_new_session=True)
pids = os.environ.get("SNAKEGEN_FIXTURE_PIDS")
if pids:
    with open(pids + ".tmp", "w") as out:
        out.write(f"{os.getpid()} {child.pid} {daemon.pid}\n")
    os.replace(pids + ".tmp", pids)

then = os.environ.get("SNAKEGEN_FIXTURE_THEN", "return")
if then == "hang":
    while True:
        time.sleep(1)
elif then != "return":
    time.sleep(float(then))


def spawned():
    """Returns the daemon's pid."""
    return daemon.pid
