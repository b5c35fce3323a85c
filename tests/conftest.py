"""Shared fixtures: personas, the product catalogue, and guards for real services.

Personas:
- alice: a user of reseller Acme (NA) with XpressCare Contracts access; sees Acme's data only.
- bob: a user of reseller Brightline (EMEA) with access; sees Brightline's data only.
- carol: a user of Acme without contracts access; sees no contract data.
- olivia: vendor staff (order desk); sees everything in admin.
- root and vera (with `back_office`): staff, superuser and view-only; walk every admin page.

Real services: `smtp_server`, `s3_server` and `bucket` (moto, an S3-compatible server),
`celery_worker` (a worker process on the test database and broker).
"""

import importlib
import os
from datetime import UTC, datetime

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import (
    CustomerFactory,
    ReleaseFactory,
    ResellerFactory,
    StaffFactory,
    SystemFactory,
    UserFactory,
)

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (rolled-back rows may come back with the same ids)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Personas get passwords; the production hasher would spend most of a test's set-up."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def need_service(available: bool, reason: str) -> None:
    """Skip locally when a real service is missing; in CI a missing service is a failure."""
    if available:
        return
    if not IN_CI:
        pytest.skip(reason)  # locally only: the reason says how to get the service
    pytest.fail(f"CI=true but a required service is missing: {reason}")


# 00:30 UTC on 2 Dec 2026: UTC's date is already the 2nd while Pacific's is still the 1st.
PACIFIC_STILL_YESTERDAY = datetime(2026, 12, 2, 0, 30, tzinfo=UTC)


@pytest.fixture
def pacific_still_yesterday():
    """The clock (ticking) at the hour where UTC's and the NA region's dates differ."""
    with time_machine.travel(PACIFIC_STILL_YESTERDAY, tick=True) as traveller:
        yield traveller


@pytest.fixture
def postgres():
    need_service(
        connection.vendor == "postgresql",
        "needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/partnerxpress",
    )


# The migration that installs the default price list (SPEC §1.7).
price_defaults = importlib.import_module("contracts.migrations.0008_price_defaults")


@pytest.fixture
def price_list(db):
    """The default price list of SPEC §1.7 (a transactional test's flush removes what the
    migration installed)."""
    price_defaults.install(apps, None)


@pytest.fixture
def releases(db, price_list):
    """CallXpress 7.5/8.0/8.1 and Seneca 5.0/5.1; RightFax 10.0 (not eligible)."""
    made = {}
    for product, versions in {
        "CallXpress": ["7.5", "8.0", "8.1"],
        "Seneca": ["5.0", "5.1"],
        "RightFax": ["10.0"],
    }.items():
        for version in versions:
            made[f"{product} {version}"] = ReleaseFactory(product__name=product, version=version)
    return made


@pytest.fixture
def olivia(db):
    return StaffFactory(username="olivia", first_name="Olivia")


@pytest.fixture
def acme(db, olivia, price_list):
    return ResellerFactory(
        account_number="R-1001", name="Acme Voice", region__code="NA", sales_representative=olivia
    )


@pytest.fixture
def brightline(db, olivia, price_list):
    return ResellerFactory(
        account_number="R-2001",
        name="Brightline Telecom",
        region__code="EMEA",
        sales_representative=olivia,
    )


@pytest.fixture
def alice(acme):
    return UserFactory(username="alice", reseller=acme, is_contract_representative=True)


@pytest.fixture
def bob(brightline):
    return UserFactory(username="bob", reseller=brightline, is_contract_representative=True)


@pytest.fixture
def carol(acme):
    return UserFactory(username="carol", reseller=acme, has_contracts_access=False)


@pytest.fixture
def back_office(alice, carol, acme, releases, settings, tmp_path):
    """Real objects of every model admin shows, made through the services (tests/back_office.py),
    with root (superuser) and vera (staff who may only view) to walk it."""
    from tests.back_office import back_office as build

    return build(alice, carol, acme, releases, settings, tmp_path)


@pytest.fixture
def make_system(releases):
    """A system of a reseller's customer on a given product and release."""

    def make(reseller, *, customer="Globex", product="CallXpress", release="8.0", **fields):
        return SystemFactory(
            customer=CustomerFactory(reseller=reseller, name=customer),
            product=releases[f"{product} {release}"].product,
            release=releases[f"{product} {release}"],
            **fields,
        )

    return make


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django in this process sends to it."""
    from tests.services import SMTPServerOnLoopback

    server = SMTPServerOnLoopback()
    server.start()
    for name, value in server.settings.items():
        setattr(settings, name, value)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto) on loopback, for the whole run."""
    from tests.services import S3ServerOnLoopback

    server = S3ServerOnLoopback()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    """A new, empty bucket that this process's files go to, as a deployment's variables say.

    MEDIA_ROOT is an empty folder of its own, so a file left on the disk shows.
    """
    settings.MEDIA_ROOT = tmp_path / "local-disk"
    made = s3_server.bucket()
    made.use(settings)
    return made


@pytest.fixture
def celery_worker(transactional_db, smtp_server):
    """A real Celery worker process on the test database, sending to `smtp_server`.

    The broker is CELERY_BROKER_URL (Redis in CI, a folder locally); it is purged first so
    tasks queued by earlier tests do not run here.
    """
    from partnerxpress.celery import app
    from tests.services import Worker

    if IN_CI:
        need_service(app.conf.broker_url.startswith("redis://"), "CI runs the worker on Redis")
    app.control.purge()
    worker = Worker(smtp_port=smtp_server.port)
    worker.start()
    yield worker
    worker.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    need_service(
        os.path.exists(CHROMIUM), "needs Chromium: apt-get install -y chromium (see .ci/run)"
    )
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _checked_tab(chromium, live_server, width: int):
    """A fresh browser context and tab against the live server; yields (context, tab, violations)
    where violations collects every content security policy violation the tab reports."""
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    tab = context.new_page()
    tab.set_default_timeout(15000)
    violations: list[str] = []
    tab.on(
        "console",
        lambda message: (
            violations.append(f"{tab.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return context, tab, violations


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab against the live server; `page.goto('/path')` is relative to it.

    Whatever the test does, nothing it shows may break the content security policy.
    """
    context, tab, violations = _checked_tab(chromium, live_server, 1280)
    yield tab
    context.close()
    assert not violations, violations


@pytest.fixture
def admin_tab(chromium, live_server):
    """A tab as wide as the back office's screens (1366 px), CSP-checked like `page`;
    `admin_tab.shot(name)` saves a full-page screenshot under test-artifacts/."""
    context, tab, violations = _checked_tab(chromium, live_server, 1366)
    folder = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")
    os.makedirs(folder, exist_ok=True)
    tab.shot = lambda name: tab.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)
    yield tab
    context.close()
    assert not violations, violations


@pytest.fixture
def screenshot(page):
    """Save a screenshot of the page under test-artifacts/ (kept by CI as an artifact)."""
    folder = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")
    os.makedirs(folder, exist_ok=True)

    def take(name: str) -> str:
        path = os.path.join(folder, f"{name}.png")
        page.screenshot(path=path, full_page=True)
        return path

    return take


@pytest.fixture
def api():
    """`api(user)`: a client sending `Authorization: Token …` for that user; `api()` anonymous."""

    def client_for(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for
