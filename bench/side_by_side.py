"""Requests per second of two checkouts of the code, side by side on one machine and one data set.

    DATABASE_URL=postgres://…/px_speed_bench .venv/bin/python bench/side_by_side.py \\
        --before /tmp/px-before [--seconds 10] [--rounds 2]

Starts gunicorn (2 sync workers, as bench/run.py does) from this checkout ("after") and from
`--before` (another checkout with its own `.venv`, e.g. `git worktree add /tmp/px-before main`),
then runs wrk (1 thread, 8 connections) against each in turn, alternating the two servers
round by round so load from elsewhere on the machine hits both alike. Prints the best round's
requests per second and p50, and the CPU the workers used per request (from /proc): on a
shared machine the CPU per request is the steadier figure. Needs the data set of bench/run.py
(R-BIG, R-SMALL) already loaded.
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


def workers_cpu(server: subprocess.Popen) -> float:
    """Seconds of CPU the server's workers have used (Linux /proc): what a request costs
    the web processes, whatever else runs on the machine."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def rate(
    server: subprocess.Popen, port: int, path: str, token: str | None, seconds: int
) -> tuple[float, str, float]:
    """Requests per second, p50 latency and worker CPU milliseconds per request."""
    command = ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{path}"]
    if token:
        command[1:1] = ["-H", f"Authorization: Token {token}"]
    used = workers_cpu(server)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    used = workers_cpu(server) - used
    assert "Non-2xx" not in out, out
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)
    count = int(re.search(r"(\d+) requests in", out).group(1))
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), p50, used / count * 1000


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
    servers = {"before": serve(args.before, ports["before"]), "after": serve(ROOT, ports["after"])}
    results: dict[tuple[str, str], list[tuple[float, str, float]]] = {}
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
                    result = rate(servers[side], ports[side], path, token, args.seconds)
                    results.setdefault((name, side), []).append(result)
    finally:
        for server in servers.values():
            server.terminate()
            server.wait()
    print(f"load average {os.getloadavg()[0]:.2f} at the end; wrk -t1 -c8 -d{args.seconds}s")
    print("\n| endpoint | before req/s | after req/s | before p50 | after p50 ", end="")
    print("| before CPU | after CPU |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    best = {key: max(values) for key, values in results.items()}  # the best round of each
    cpu = {key: min(value[2] for value in values) for key, values in results.items()}
    for name, _, _ in PATHS:
        before, after = best[(name, "before")], best[(name, "after")]
        print(
            f"| {name} | {before[0]:,.0f} | {after[0]:,.0f} | {before[1]} | {after[1]} | "
            f"{cpu[(name, 'before')]:.2f} ms | {cpu[(name, 'after')]:.2f} ms |"
        )
    for side in ("before", "after"):
        list_, health = ("API systems list, R-BIG", side), ("/healthz", side)
        print(
            f"\n{side}: API systems list (R-BIG) / healthz: requests/s "
            f"{best[list_][0] / best[health][0]:.3f}, worker CPU per request "
            f"{cpu[health] / cpu[list_]:.3f}"
        )


if __name__ == "__main__":
    main()
