"""Loaded by the suite's runs under Debian's faketime (.ci/run puts this folder on PYTHONPATH).

libfaketime 0.9.10 cannot serve both of Python's waits: with the monotonic clock faked, a
lock's or Event's timeout never fires; with it real (FAKETIME_DONT_FAKE_MONOTONIC=1, as .ci/run
runs it), `time.sleep` fails with EINVAL (since 3.11 it sleeps with clock_nanosleep until an
absolute monotonic deadline, which libfaketime shifts by the fake offset). A sleep through
select() takes a relative timeout, which libfaketime leaves alone.
"""

import os
import select
import time

if os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") == "1" and "faketime" in os.environ.get(
    "LD_PRELOAD", ""
):

    def _sleep(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:  # select() returns early on a signal
            select.select([], [], [], left)

    time.sleep = _sleep
