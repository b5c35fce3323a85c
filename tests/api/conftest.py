"""API fixtures: clients that log in by token, and the SPEC §6.2 example system CX-1."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.cache import cache

from contracts import rules
from contracts.services import contract_book


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Throttle counts live in the cache; one test's requests never count against another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cx1(acme, make_system):
    """The SPEC §6.2 example: CallXpress 8.0 (8.1 current), one TTS channel, covered in 2026."""
    system = make_system(
        acme, customer="Globex", release="8.0", tts_channels=1, um_clients=50, serial_number="CX-1"
    )
    contract_book(
        system=system,
        kind="plan",
        booked_on=date(2026, 1, 1),
        term_months=12,
        covers_tts=True,
        po_number="PO-1",
    )
    system.refresh_from_db()
    return system


@pytest.fixture
def bulk_systems(releases):
    """`bulk_systems(reseller, n, ends_on=…)`: n covered systems in a few queries.

    Each has one 12-month plan ending on `ends_on` (None: never covered), so thousands can
    share one expiry date; customers are spread over `customers` names.
    """
    from contracts.models import Contract, Customer, System
    from contracts.services import system_summarise_coverage

    counter = iter(range(10**6))

    def make(reseller, n, *, ends_on=date(2026, 12, 31), customers=7, prefix="BK"):
        names = [f"{prefix} customer {i:02d}" for i in range(customers)]
        by_name = {
            name: Customer.objects.get_or_create(reseller=reseller, name=name)[0] for name in names
        }
        release = releases["CallXpress 8.0"]
        systems, contracts = [], []
        for i in range(n):
            customer = by_name[names[i % customers]]
            system = System(
                serial_number=f"{prefix}-{reseller.pk}-{next(counter):06d}",
                reseller=reseller,
                customer=customer,
                customer_name=customer.name,
                product=release.product,
                release=release,
            )
            if ends_on is not None:
                starts = ends_on + timedelta(days=1) - relativedelta(years=1)
                contract = Contract(
                    system=system,
                    kind="plan",
                    booked_on=starts,
                    starts_on=starts,
                    term_months=12,
                    ends_on=rules.ends_on(starts, 12),
                )
                system_summarise_coverage(system, [contract])
                contracts.append(contract)
            systems.append(system)
        System.objects.bulk_create(systems, batch_size=1000)
        for contract in contracts:
            contract.system_id = contract.system.pk
        Contract.objects.bulk_create(contracts, batch_size=1000)
        return systems

    return make
