"""Production hardening: deploy checks, the security headers, the health check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
# What a deployment sets; DJANGO_DEBUG is left out because production is the default.
PRODUCTION = {
    "DJANGO_SECRET_KEY": "k7#q9v2!xw8@m4z1r6t0y3u5i8o2p9a7s4d1f6g3h0j5l8c2vB3nM6qW9eR2tY5",
    "DJANGO_ALLOWED_HOSTS": "portal.example.com",
}
PRINT_DEBUG = ["shell", "-v", "0", "-c", "from django.conf import settings; print(settings.DEBUG)"]


def test_the_deploy_checks_pass_with_production_settings():
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_djangos_debug_variable_the_settings_are_production():
    result = _manage(PRINT_DEBUG)
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert result.returncode != 0

    result = _manage(PRINT_DEBUG, PRODUCTION)
    assert (result.returncode, result.stdout.strip()) == (0, "False"), result.stderr


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


@pytest.mark.django_db
def test_what_a_signed_in_user_is_shown_is_never_stored(
    client, api, alice, olivia, acme, make_system
):
    make_system(acme, serial_number="CX-1")
    client.force_login(alice)
    answers = {
        "home": client.get(reverse("home")),
        "list": client.get(reverse("contracts:list")),
        "system": client.get("/systems/CX-1/"),
        "csv": client.get(reverse("contracts:export")),
        "api by session": client.get("/api/v1/systems/"),
        "api by token": api(alice).get("/api/v1/systems/"),
    }
    client.force_login(olivia)
    answers["admin"] = client.get("/admin/")

    for name, answer in answers.items():
        assert answer.status_code == 200, name
        assert "no-store" in answer["Cache-Control"], name
        assert "private" in answer["Cache-Control"], name


@pytest.mark.django_db
def test_anonymous_pages_static_files_and_the_health_check_keep_their_caching(
    client, alice, settings
):
    settings.WHITENOISE_USE_FINDERS = True  # static files as `make run` serves them
    settings.WHITENOISE_AUTOREFRESH = True
    assert not client.get(reverse("password_reset")).has_header("Cache-Control")
    client.force_login(alice)
    assert not client.get("/healthz").has_header("Cache-Control")
    static = client.get("/static/portal/portal.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_views_own_cache_control_is_kept(client, alice):
    client.force_login(alice)
    page = client.post(reverse("calendar"), {"action": "on"})

    assert page["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def _manage(arguments: list[str], variables: dict | None = None) -> subprocess.CompletedProcess:
    """manage.py in a process whose environment has no DJANGO_* variable but `variables`."""
    # The tests run with DJANGO_DEBUG=true and browser tests add DJANGO_ALLOW_ASYNC_UNSAFE;
    # a deployment has neither.
    environ = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env={**environ, **(variables or {})},
        capture_output=True,
        text=True,
    )
