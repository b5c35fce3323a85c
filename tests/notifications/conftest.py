"""Fixtures for the renewal e-mail and confirmation letters: systems due on a known date."""

from datetime import date, timedelta

import pytest

from contracts.services import contract_book
from tests.factories import StaffFactory

JUNE_1 = date(2026, 6, 1)


@pytest.fixture
def make_due(make_system):
    """`make_due(reseller, n)`: n systems of the reseller, half expired recently, half due
    (relative to `on`, June 1st 2026 unless given)."""

    def make(reseller, count: int = 2, *, customer: str = "Globex", on: date = JUNE_1, **fields):
        systems = []
        for number in range(count):
            system = make_system(reseller, customer=customer, **fields)
            # Ends 10 days before `on` (expired) or 20 days after (due).
            ends = on + timedelta(days=-10 if number % 2 == 0 else 20)
            booked = ends + timedelta(days=1) - timedelta(days=365)
            contract_book(
                system=system,
                kind="plan",
                booked_on=booked,
                term_months=12,
                covers_um_clients=system.um_clients > 50,
                covers_tts=system.tts_channels > 0,
                po_number=f"PO-{system.pk}",
            )
            systems.append(system)
        return systems

    return make


@pytest.fixture
def root(db):
    """A superuser: every admin page and action (olivia's groups carry no permissions here)."""
    return StaffFactory(username="root", is_superuser=True, email="root@avst.example")
