"""`make run` serves web, worker and beat, links e-mails to the address it serves, and stops
all three cleanly on Ctrl-C or SIGTERM (issue 15: "Segmentation fault", a worker's signal
storm, processes left running, links to port 8000)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.services import free_port

pytestmark = pytest.mark.worker  # runs a real Celery worker (and web and beat) in processes

ROOT = Path(__file__).resolve().parent.parent
# What a clean stop never prints: the shell's report of a crash, Python's, Celery's, make's.
TROUBLE = ("Segmentation fault", "Traceback", "RecursionError", "ERROR", "make: ***", "supervise:")
STARTED = ("celery@", "beat: Starting...", "Quit the server with CONTROL-C.")


class MakeRun:
    """`make run` on a fresh folder of its own (SQLite, a folder as broker, mail as files)."""

    def __init__(self, var_dir: Path, **variables: str) -> None:
        self.var_dir = var_dir
        self.port = free_port()
        self.log = var_dir / "make-run.log"
        venv = Path(sys.prefix)
        # The embedded defaults, as on a laptop: none of CI's services or settings.
        env = {key: value for key, value in os.environ.items() if not _is_setting(key)}
        env.update(PARTNERXPRESS_VAR_DIR=str(var_dir), **variables)
        command = ["make", "-o", f"{venv}/.installed", f"VENV={venv}", "run", f"PORT={self.port}"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_serving(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()[-3000:]
            if _answers(self.port) and all(marker in self.output() for marker in STARTED):
                return
            time.sleep(0.2)
        pytest.fail(f"make run did not start in {timeout} s:\n{self.output()[-3000:]}")

    def links_in_mail(self, timeout: float = 30) -> set[str]:
        """The sites linked from the e-mails sent so far (the demo data sends some)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sites = {
                match
                for path in (self.var_dir / "mail").glob("*.log")
                for match in re.findall(r"https?://[^/\s\"]+", path.read_text(errors="replace"))
            }
            if sites:
                return sites
            time.sleep(0.2)
        pytest.fail(f"no e-mail was written in {timeout} s")

    def processes(self) -> set[int]:
        """Every process below make: the supervisor, web (and its reloader), worker, beat."""
        return _descendants(self.process.pid)

    def assert_stopped_cleanly(self, processes: set[int], timeout: float = 30) -> None:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"make run still running {timeout} s after the signal")
        deadline = time.monotonic() + 5
        while (left := {pid for pid in processes if _alive(pid)}) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not left, f"left running: {[_command(pid) for pid in left]}"
        output = self.output()
        assert not [word for word in TROUBLE if word in output], output[-3000:]
        assert not _answers(self.port), f"something still listens on {self.port}"


def test_ctrl_c_stops_web_worker_and_beat_and_frees_the_port_and_links_lead_to_it(tmp_path):
    run = MakeRun(tmp_path)
    run.wait_until_serving()
    processes = run.processes()
    assert len(processes) >= 6, processes  # supervisor, web ×2, worker ×3, beat

    # the demo data's e-mails (sent by the worker) link to the port served, not 8000
    assert run.links_in_mail() == {f"http://127.0.0.1:{run.port}"}

    os.killpg(run.process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    run.assert_stopped_cleanly(processes)


def test_sigterm_stops_them_too_and_a_portal_url_that_is_set_wins(tmp_path):
    run = MakeRun(tmp_path, PORTAL_URL="https://portal.example.com")
    run.wait_until_serving()
    processes = run.processes()

    assert run.links_in_mail() == {"https://portal.example.com"}

    run.process.terminate()  # SIGTERM to make alone, as `kill` or a service manager sends it
    run.assert_stopped_cleanly(processes)


def _is_setting(name: str) -> bool:
    return name.startswith(("DJANGO_", "EMAIL_", "CELERY_", "PORTAL_", "AWS_")) or name in {
        "DATABASE_URL",
        "CACHE_URL",
        "MEDIA_ROOT",
        "STATIC_ROOT",
    }


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, stack = set(), [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent has not collected it yet


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return str(pid)
