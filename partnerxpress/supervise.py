"""`make run`'s web, worker and beat under one parent that stops them cleanly.

    python -m partnerxpress.supervise 127.0.0.1:8000

Each process runs in a session of its own, so a terminal's Ctrl-C reaches only this parent
(and make). On SIGINT or SIGTERM, or when one of them ends, the parent sends each main process
SIGTERM once — the signal each stops on by itself: runserver's reloader ends its server,
Celery's worker shuts its pool down warmly, beat saves its schedule — then waits, and kills
what is left of a process group after STOP_TIMEOUT. A shell trap that signalled its own group
(`trap 'kill 0' …`) signalled itself again from the trap, and hit the worker's pool children
too: a storm of warm shutdowns, and processes left running.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A warm shutdown lets a running task (a letter, an e-mail) finish first.
STOP_TIMEOUT = 20.0


def commands(address: str) -> dict[str, list[str]]:
    """The three processes of the portal on a laptop, by name."""
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "partnerxpress"]
    return {
        "web": [python, "manage.py", "runserver", address],
        "worker": [
            *celery,
            *["worker", "--loglevel=INFO", "--concurrency=2", "--max-tasks-per-child=100"],
        ],
        "beat": [*celery, "beat", "--loglevel=INFO"],
    }


def run(address: str) -> int:
    """Start the processes; on a signal, or when one ends, stop them all. Returns the exit code."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    children = {
        name: subprocess.Popen(command, cwd=ROOT, start_new_session=True)
        for name, command in commands(address).items()
    }
    while not stop.wait(0.2):
        if ended := [name for name, child in children.items() if child.poll() is not None]:
            _say(f"{', '.join(ended)} ended; stopping the others")
            stop_all(children)
            return 1
    stop_all(children)
    return 0


def stop_all(children: dict[str, subprocess.Popen]) -> None:
    """SIGTERM to each main process still running, then wait; kill whatever outlives the wait."""
    for child in children.values():
        if child.poll() is None:
            child.terminate()  # the main process only: it stops its own children
    deadline = time.monotonic() + STOP_TIMEOUT
    for name, child in children.items():
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _say(f"{name} did not stop in {STOP_TIMEOUT:.0f} s; killed")
        _kill_group(child.pid)


def _kill_group(pgid: int) -> None:
    # The group outlives its leader only if something it started is still running.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def _say(message: str) -> None:
    print(f"supervise: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
