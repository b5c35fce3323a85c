"""Fixtures of the portal's contracts pages: Acme's systems in every status on alice's today."""

import pytest

from partnerxpress.core.tenancy import user_today
from tests.contracts.factories import system_in_status
from tests.factories import StaffFactory

STATUSES = ["covered", "expiring", "grace", "lapsed", "pending", "never", "ineligible"]


@pytest.fixture
def today(alice):
    """Alice's today: the date in Acme's region (what the pages use)."""
    return user_today(alice)


@pytest.fixture
def acme_systems(acme, today):
    """One Acme system per status: serial numbers ACME-<STATUS>, customers by status group."""
    return {
        status: system_in_status(
            acme,
            status,
            today,
            customer="Initech" if status in ("lapsed", "never", "ineligible") else "Globex",
            serial_number=f"ACME-{status.upper()}",
        )
        for status in STATUSES
    }


@pytest.fixture
def bob_system(brightline, bob):
    """A covered system of Brightline (bob's reseller): Acme's users must never see it."""
    return system_in_status(
        brightline, "covered", user_today(bob), customer="Wayne", serial_number="BRIGHT-1"
    )


@pytest.fixture
def superuser(db):
    return StaffFactory(username="root", is_superuser=True, email="root@avst.example")
