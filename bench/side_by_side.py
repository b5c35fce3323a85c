"""Requests per second of two checkouts of the code, side by side on one machine and one data set.

    DATABASE_URL=postgres://…/px_speed_bench .venv/bin/python bench/side_by_side.py \\
        --before /tmp/px-before [--seconds 10] [--rounds 2]

Starts gunicorn (2 sync workers, as bench/run.py does) from this checkout ("after") and from
`--before` (another checkout with its own `.venv`, e.g. `git worktree add /tmp/px-before main`),
then runs wrk (1 thread, 8 connections) against each in turn, alternating the two servers
round by round so load from elsewhere on the machine hits both alike. Needs the data set of
bench/run.py (R-BIG, R-SMALL) already loaded.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerxpress.settings")

import run  # noqa: E402  (the production settings, the data set's users, free ports)

PATHS = [
    ("/healthz", "/healthz", None),
    ("API systems list, R-BIG", "/api/v1/systems/", run.BIG),
    ("API systems list, R-SMALL", "/api/v1/systems/", run.SMALL),
    ("API bulletins (empty), R-BIG", "/api/v1/bulletins/", run.BIG),
]


def serve(checkout: Path, port: int) -> subprocess.Popen:
    python = checkout / ".venv" / "bin" / "python"
    command = [str(python), "-m", "gunicorn", "partnerxpress.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--log-level", "warning"]
    return subprocess.Popen(command, cwd=checkout)


def rate(port: int, path: str, token: str | None, seconds: int) -> tuple[float, str]:
    command = ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{path}"]
    if token:
        command[1:1] = ["-H", f"Authorization: Token {token}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert "Non-2xx" not in out, out
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), p50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    tokens = {account: run.client_for(account)[1] for account in (run.BIG, run.SMALL)}
    ports = {"before": run.free_port()}
    while len(ports) < 2:  # a port just freed may be handed out again
        port = run.free_port()
        ports.update({"after": port} if port != ports["before"] else {})
    servers = [serve(args.before, ports["before"]), serve(ROOT, ports["after"])]
    results: dict[tuple[str, str], list[tuple[float, str]]] = {}
    try:
        for port in ports.values():
            run.wait_for_port(port)
            for _ in range(4):  # both workers booted (Django set up) before anything is timed
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=60).read()
        for number in range(args.rounds):
            order = ["before", "after"] if number % 2 == 0 else ["after", "before"]
            for name, path, account in PATHS:
                for side in order:
                    token = tokens[account] if account else None
                    result = rate(ports[side], path, token, args.seconds)
                    results.setdefault((name, side), []).append(result)
    finally:
        for server in servers:
            server.terminate()
            server.wait()
    print(f"load average {os.getloadavg()[0]:.2f} at the end; wrk -t1 -c8 -d{args.seconds}s")
    print("\n| endpoint | before req/s | after req/s | before p50 | after p50 |")
    print("|---|---:|---:|---:|---:|")
    best = {key: max(values) for key, values in results.items()}
    for name, _, _ in PATHS:
        before, after = best[(name, "before")], best[(name, "after")]
        print(f"| {name} | {before[0]:,.0f} | {after[0]:,.0f} | {before[1]} | {after[1]} |")
    for side in ("before", "after"):
        ratio = best[("API systems list, R-BIG", side)][0] / best[("/healthz", side)][0]
        print(f"\n{side}: API systems list (R-BIG) / healthz = {ratio:.3f}")


if __name__ == "__main__":
    main()
