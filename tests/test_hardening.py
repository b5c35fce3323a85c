"""Production hardening: deploy checks, the security headers, the health check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k7#q9v2!xw8@m4z1r6t0y3u5i8o2p9a7s4d1f6g3h0j5l8c2vB3nM6qW9eR2tY5",
    "DJANGO_ALLOWED_HOSTS": "portal.example.com",
}


def test_the_deploy_checks_pass_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never does.
        env={**_without(os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE"), **PRODUCTION},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_the_health_check_answers_any_host_and_touches_the_database(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.com"]
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client, alice):
    client.force_login(alice)
    policy = client.get(reverse("contracts:list"))["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "script-src" not in policy

    docs = client.get("/api/docs/")["Content-Security-Policy"]
    assert (
        docs.endswith("style-src 'self' 'unsafe-inline'")
        or "style-src 'self' 'unsafe-inline';" in docs
    )  # Swagger UI's styles, no inline script
    assert "<script src=" in client.get("/api/docs/").content.decode()


def _without(environ, name: str) -> dict:
    return {key: value for key, value in environ.items() if key != name}
