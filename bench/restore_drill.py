"""Restore drill: back up a database, restore it into a new one, prove the copy equal and serving.

    .venv/bin/python bench/restore_drill.py                 # the demo data, made afresh
    .venv/bin/python bench/restore_drill.py --source postgres://postgres@127.0.0.1:5432/partnerxpress_bench

Steps, each timed: (1) without --source, load the demo data into a fresh database; (2) dump it
with `pg_dump --format=custom` (as the README's backup does); (3) create a new database and
`pg_restore` into it; (4) compare every table's row count and a checksum of every contract
(md5 of all their columns in id order) between the two; (5) `manage.py migrate --check` on the
copy; (6) start gunicorn on the copy, and ask it for `/healthz` and, signed in as the demo
reseller `na-rep`, for XpressCare Contracts. Exits non-zero at the first difference.
Needs PostgreSQL's pg_dump and pg_restore.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = "postgres://postgres@127.0.0.1:5432"
CHECKSUM = "SELECT md5(string_agg(c::text, ',' ORDER BY c.id)) FROM contracts_contract c"
SECRET = "restore-drill-" + "k3Jq9vX2mB7nR4tW8yL1pD6hF0cG5sZ" * 2


def step(name: str):
    """Print a step's name, then (as a context) how long it took."""

    class Timer:
        def __enter__(self):
            print(f"- {name} …", end=" ", flush=True)
            self.started = time.perf_counter()

        def __exit__(self, *failed):
            if failed[0] is None:
                print(f"{time.perf_counter() - self.started:.1f} s", flush=True)

    return Timer()


def environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }


def manage(url: str, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=environment(url), check=True)


def recreate(url: str) -> None:
    """An empty database at `url` (dropped first if it exists)."""
    name = dj_database_url.parse(url)["NAME"]
    admin = psycopg2.connect(SERVER + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def facts(url: str) -> dict[str, object]:
    """Every table's row count, and the contracts' checksum."""
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [name for (name,) in cursor.fetchall()]
        counts: dict[str, object] = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        cursor.execute(CHECKSUM)
        counts["contracts checksum"] = cursor.fetchone()[0]
    return counts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_and_ask(url: str) -> tuple[str, int]:
    """gunicorn on the copy: /healthz's answer and how many systems na-rep's list shows."""
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "partnerxpress.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=environment(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        health = _wait_for(base + "/healthz")
        browser = Browser(base)
        form = browser.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        login = {"username": "na-rep", "password": "partnerxpress", "csrfmiddlewaretoken": token}
        browser.post("/accounts/login/", login)
        page = browser.get("/contracts/")
        shown = re.search(r"of ([\d,]+) system", page)
        return health, int(shown.group(1).replace(",", "")) if shown else 0
    finally:
        server.terminate()
        server.wait(10)


class Browser:
    """Just enough of one: cookies kept by hand, since production cookies are Secure and the
    app sits behind a TLS proxy (X-Forwarded-Proto) that this drill plays."""

    def __init__(self, base: str) -> None:
        self.base, self.cookies = base, {}
        self.https = base.replace("http://", "https://")

    def get(self, path: str) -> str:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict) -> str:
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body)
        request.add_header("Referer", self.https + path)
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> str:
        request.add_header("X-Forwarded-Proto", "https")
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request)
        except urllib.error.HTTPError as answer:  # a redirect after signing in
            response = answer
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _wait_for(address: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(address, timeout=2).read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", help="database to back up (default: fresh demo data)")
    parser.add_argument("--copy", default=SERVER + "/partnerxpress_restored_drill")
    args = parser.parse_args()
    source = args.source or SERVER + "/partnerxpress_drill_source"
    if not args.source:
        with step("demo data into a fresh database"):
            recreate(source)
            manage(source, "migrate", "--verbosity=0")
            manage(source, "seed_demo")
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "backup.dump"
        with step("pg_dump --format=custom"):
            subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source], check=True
            )
        print(f"  {dump.stat().st_size / 1024:,.0f} KiB")
        with step("new database and pg_restore"):
            recreate(args.copy)
            subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={args.copy}", dump],
                check=True,
            )
    with step("row counts and contracts checksum compared"):
        before, after = facts(source), facts(args.copy)
    differences = {
        key: (before[key], after.get(key)) for key in before if before[key] != after.get(key)
    }
    rows = sum(value for key, value in before.items() if isinstance(value, int))
    print(
        f"  {len(before) - 1} tables, {rows:,} rows, contracts md5 {before['contracts checksum']}"
    )
    if differences or before.keys() != after.keys():
        print(f"DIFFERENT: {differences}")
        return 1
    with step("migrate --check on the copy"):
        manage(args.copy, "migrate", "--check", "--verbosity=0")
    with step("gunicorn on the copy: /healthz and XpressCare Contracts as na-rep"):
        health, systems = serve_and_ask(args.copy)
    print(f"  /healthz: {health}; XpressCare Contracts lists {systems} systems")
    if '"ok"' not in health or (not args.source and systems == 0):
        print("The copy does not serve.")
        return 1
    print("Restore drill passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
