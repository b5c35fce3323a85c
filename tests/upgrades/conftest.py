"""Fixtures for bulletins and downloads: resellers with systems covered today on each release."""

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from contracts.services import contract_book
from partnerxpress.core.tenancy import user_today
from tests.factories import ResellerFactory, UserFactory
from upgrades.models import Bulletin


@pytest.fixture
def covered_system(make_system):
    """A system of a reseller, covered today (a plan booked six months ago)."""

    def make(reseller, serial, *, release="8.0", product="CallXpress", customer="Globex"):
        system = make_system(
            reseller, customer=customer, product=product, release=release, serial_number=serial
        )
        today = reseller.region.today(timezone.now())
        contract_book(
            system=system,
            kind="plan",
            booked_on=today - relativedelta(months=6),
            term_months=12,
        )
        return system

    return make


@pytest.fixture
def fleet(alice, bob, acme, brightline, covered_system, make_system):
    """Acme: two eligible systems; Brightline: one; Cobalt: only the current release; Dune: no
    representative, one eligible system and a user with contracts access."""
    covered_system(acme, "CX-A1", release="8.0")
    covered_system(acme, "CX-A2", release="7.5", customer="Initech")
    covered_system(acme, "CX-A3", release="8.1")  # already current: not listed
    make_system(acme, customer="Globex", serial_number="CX-A4", release="7.5")  # never covered
    covered_system(brightline, "CX-B1", release="8.0", customer="Umbrella")
    cobalt = ResellerFactory(account_number="R-3001", name="Cobalt Comms")
    UserFactory(username="cora", reseller=cobalt, is_contract_representative=True)
    covered_system(cobalt, "CX-C1", release="8.1", customer="Wayne")
    dune = ResellerFactory(account_number="R-4001", name="Dune Networks")
    UserFactory(username="dan", reseller=dune, is_contract_representative=False)
    UserFactory(username="dora", reseller=dune, has_contracts_access=False)
    covered_system(dune, "CX-D1", release="8.0", customer="Stark")
    return {"cobalt": cobalt, "dune": dune}


@pytest.fixture
def bulletin(releases, olivia):
    return Bulletin.objects.create(
        release=releases["CallXpress 8.1"],
        title="CallXpress 8.1 is available",
        text="CallXpress 8.1 brings speech search.",
        created_by=olivia,
    )


@pytest.fixture
def today(alice):
    return user_today(alice)
