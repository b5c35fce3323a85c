"""The documented benchmark command keeps working (on a tiny data set: a smoke test, not timing)."""

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
from django.db import connection

from tests.conftest import need_service

ROOT = Path(__file__).resolve().parent.parent
TINY = ["--resellers", "3", "--systems", "1200", "--big", "100", "--runs", "2", "--only", "pages"]


def test_bench_run_loads_through_the_booking_batch_and_measures_the_pages():
    need_service(
        connection.vendor == "postgresql",
        "needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/partnerxpress",
    )
    url = os.environ["DATABASE_URL"]
    database = f"{url.rsplit('/', 1)[0]}/{dj_database_url.parse(url)['NAME']}_bench_smoke"
    result = subprocess.run(
        [sys.executable, "bench/run.py", *TINY, "--reload"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Data: 3 resellers, 1,200 systems" in result.stdout
    assert "| /contracts/ first page |" in result.stdout
    assert "| API systems first page |" in result.stdout
