"""Support personas and fixtures.

Personas (besides alice, bob, carol and olivia of tests/conftest.py):
- tess: a certified technician of Acme (NA) *without* XpressCare Contracts access: support needs
  the certification, not contracts access. Sees Acme's cases only.
- ed: a user of Acme whose technician certification expired on 2026-11-24, two days before the
  Thursday the service tests open cases on: may not open cases.
- bert: a certified technician of Brightline (EMEA). Sees Brightline's cases only.
"""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from contracts.services import contract_book
from incidents.models import BusinessHours
from tests.factories import UserFactory

# The migration that installs business hours and the rate card (SPEC §4.1, §4.3).
defaults_migration = importlib.import_module("incidents.migrations.0002_defaults")


@pytest.fixture
def support_defaults(db, acme, brightline):
    """The defaults the migration installs; a transactional test's flush removes them."""
    defaults_migration.install(apps, None)


@pytest.fixture
def tess(acme, support_defaults):
    return UserFactory(
        username="tess",
        first_name="Tess",
        last_name="Tran",
        reseller=acme,
        has_contracts_access=False,
        is_certified_technician=True,
        certification_expires_on=date.today() + timedelta(days=365),
    )


@pytest.fixture
def ed(acme, support_defaults):
    return UserFactory(
        username="ed",
        reseller=acme,
        is_certified_technician=True,
        certification_expires_on=date(2026, 11, 24),
    )


@pytest.fixture
def bert(brightline, support_defaults):
    return UserFactory(
        username="bert",
        reseller=brightline,
        is_certified_technician=True,
        certification_expires_on=None,
    )


@pytest.fixture
def uncovered(acme, make_system):
    """A CallXpress 8.0 system of Acme's customer Globex, never covered, installed 2022-03-15."""
    return make_system(acme, serial_number="CX-UNCOVERED")


@pytest.fixture
def covered(acme, make_system):
    """A CallXpress 8.0 system of Acme covered from 2026-01-01 for 36 months."""
    system = make_system(acme, serial_number="CX-COVERED", customer="Initech")
    contract_book(system=system, kind="plan", booked_on=date(2026, 1, 1), term_months=36)
    return system


@pytest.fixture
def na_hours(support_defaults, acme):
    return BusinessHours.objects.get(region=acme.region)


@pytest.fixture
def always_open(na_hours):
    """NA business hours all day, every day: the portal's `now` is always in business hours."""
    na_hours.opens_at = time(0)
    na_hours.closes_at = time(23, 59, 59, 999999)
    for day in ("saturday", "sunday"):
        setattr(na_hours, day, True)
    na_hours.save()
    return na_hours


@pytest.fixture
def closed_today(na_hours):
    """NA business hours on every day but today (Pacific): the portal's `now` is after hours."""
    from incidents.models import WEEKDAY_FIELDS

    today = timezone.now().astimezone(na_hours.region.zone).weekday()
    for number, day in enumerate(WEEKDAY_FIELDS):
        setattr(na_hours, day, number != today)
    na_hours.save()
    return na_hours


# `uncovered` was installed on 2022-03-15 and per-incident prices go by a system's age, so a
# portal test that asserts its price (the portal quotes at the clock's now) travels to a day
# when it is 4 years old: Thursday 26 November 2026, 10:00 in Pacific time.
UNCOVERED_IS_4_YEARS_OLD = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)


@pytest.fixture
def uncovered_is_4_years_old():
    """The clock (ticking) on a day when `uncovered` is priced as 4 years old (list it first)."""
    with time_machine.travel(UNCOVERED_IS_4_YEARS_OLD, tick=True) as traveller:
        yield traveller


def at(text: str) -> datetime:
    """An instant from ISO 8601 text ("…Z" for UTC)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
