"""Fixtures for orders: systems in each coverage state, and placing orders as a reseller would."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from contracts.services import contract_book
from partnerxpress.core.tenancy import user_today
from renewals import services

D = date.fromisoformat


@pytest.fixture
def book():
    """Book a purchase directly, as the order desk or the import would."""

    def booking(system, kind, booked_on, term=12, **fields):
        if isinstance(booked_on, str):
            booked_on = D(booked_on)
        return contract_book(
            system=system, kind=kind, booked_on=booked_on, term_months=term, **fields
        )

    return booking


@pytest.fixture
def place():
    """Submit an order as `user`; a line is a serial, (serial, term) or (serial, term, um, tts)."""

    def submit(user, kind, po, *lines, on=None, customer_name=""):
        if isinstance(on, str):
            on = D(on)
        requests = [
            services.LineRequest(*line) if isinstance(line, tuple) else services.LineRequest(line)
            for line in lines
        ]
        order, _ = services.order_submit(
            user=user, kind=kind, po_number=po, lines=requests, on=on, customer_name=customer_name
        )
        return order

    return submit


@pytest.fixture
def today(alice):
    """Alice's today (Acme is in NA): what the portal checks orders against."""
    return user_today(alice)


@pytest.fixture
def expiring(acme, make_system, book, today):
    """An Acme system whose plan ends in about a month, on release 8.0 (8.1 is current)."""
    system = make_system(acme, customer="Globex", serial_number="CX-EXP-1")
    book(system, "plan", today - relativedelta(months=11), 12)
    system.refresh_from_db()
    return system


@pytest.fixture
def lapsed(acme, make_system, book, today):
    """An Acme system whose coverage ended about a year ago, on 7.5."""
    system = make_system(acme, customer="Globex", release="7.5", serial_number="CX-LAP-1")
    book(system, "plan", today - relativedelta(months=24), 12)
    system.refresh_from_db()
    return system


@pytest.fixture
def never(acme, make_system):
    """An Acme system never covered."""
    return make_system(acme, customer="Globex", serial_number="CX-NEW-1")
