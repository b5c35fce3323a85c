"""Shared fixtures: personas, the product catalogue, and guards for real services.

Personas:
- alice: a user of reseller Acme (NA) with XpressCare Contracts access; sees Acme's data only.
- bob: a user of reseller Brightline (EMEA) with access; sees Brightline's data only.
- carol: a user of Acme without contracts access; sees no contract data.
- olivia: vendor staff (order desk); sees everything in admin.
"""

import os

import pytest
from django.db import connection

from tests.factories import (
    CustomerFactory,
    ReleaseFactory,
    ResellerFactory,
    StaffFactory,
    SystemFactory,
    UserFactory,
)

IN_CI = os.environ.get("CI", "").lower() == "true"


def need_service(available: bool, reason: str) -> None:
    """Skip locally when a real service is missing; in CI a missing service is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI=true but a required service is missing: {reason}")
    pytest.skip(reason)


@pytest.fixture
def postgres():
    need_service(
        connection.vendor == "postgresql",
        "needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/partnerxpress",
    )


@pytest.fixture
def releases(db):
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
def acme(db, olivia):
    return ResellerFactory(
        account_number="R-1001", name="Acme Voice", region__code="NA", sales_representative=olivia
    )


@pytest.fixture
def brightline(db, olivia):
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
