"""Prices in the API (SPEC §6.2, §1.7): renewal-options and orders, in both currencies."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from contracts.models import PriceListEntry, TermDiscount
from contracts.services import contract_book

pytestmark = pytest.mark.django_db

OPTIONS = "/api/v1/systems/{}/renewal-options/"
ORDERS = "/api/v1/orders/"


@pytest.fixture
def cx13(acme, make_system):
    """The §1.7 example: CallXpress with 60 UM clients and 2 TTS channels, covered in 2026."""
    system = make_system(acme, serial_number="CX-13", um_clients=60, tts_channels=2)
    contract_book(
        system=system,
        kind="plan",
        booked_on=date(2026, 1, 1),
        term_months=12,
        covers_um_clients=True,
        covers_tts=True,
    )
    return system


@pytest.fixture
def sen24(brightline, make_system):
    """A Seneca system of Brightline (EMEA: GBP), no add-ons, covered in 2026."""
    system = make_system(brightline, serial_number="SEN-24", product="Seneca", release="5.0")
    contract_book(system=system, kind="plan", booked_on=date(2026, 1, 1), term_months=12)
    return system


@pytest.fixture
def expiring_acme(acme, make_system):
    """Another system of Acme's customer Globex, no add-ons, covered in 2026."""
    system = make_system(acme, serial_number="CX-12")
    contract_book(system=system, kind="plan", booked_on=date(2026, 1, 1), term_months=12)
    return system


@pytest.fixture(autouse=True)
def late_november():
    """Orders are priced and checked on the reseller's today: 26 Nov 2026 here."""
    with time_machine.travel(datetime(2026, 11, 26, 18, 0, tzinfo=UTC), tick=True):
        yield


def prices_by_term(body: dict) -> dict[int, tuple[str, str]]:
    return {o["term_months"]: (o["list_price"], o["net_price"]) for o in body["options"]}


def test_renewal_options_price_every_term_with_required_add_ons_and_discounts(api, alice, cx13):
    acme = cx13.reseller
    acme.discount_percent = Decimal(20)
    acme.save()

    body = api(alice).get(OPTIONS.format("CX-13"), {"on": "2026-11-26"}).json()

    assert body["currency"] == "USD"
    assert prices_by_term(body) == {
        12: ("1860.00", "1488.00"),
        13: ("2015.00", "1612.00"),  # the §1.7 example
        14: ("2170.00", "1736.00"),
        15: ("2325.00", "1860.00"),
        24: ("3720.00", "2827.20"),  # 5 % for 24 months, then the reseller's 20 %
        36: ("5580.00", "4017.60"),
    }


def test_an_emea_reseller_is_priced_in_pounds(api, bob, sen24):
    sen24.reseller.discount_percent = Decimal(10)
    sen24.reseller.save()

    body = api(bob).get(OPTIONS.format("SEN-24"), {"on": "2026-11-26"}).json()

    assert body["currency"] == "GBP"
    assert prices_by_term(body)[24] == ("1520.00", "1299.60")  # the §1.7 example


def test_an_order_keeps_its_prices_and_shows_currency_and_total(api, alice, cx13, expiring_acme):
    acme = cx13.reseller
    acme.discount_percent = Decimal(20)
    acme.save()
    lines = [
        {
            "serial_number": "CX-13",
            "term_months": 13,
            "covers_um_clients": True,
            "covers_tts": True,
        },
        {"serial_number": expiring_acme.serial_number, "term_months": 12},
    ]

    placed = api(alice).post(ORDERS, {"kind": "renewal", "po_number": "PO-9", "lines": lines})

    assert placed.status_code == 201, placed.json()
    body = placed.json()
    assert body["currency"] == "USD"
    assert [(line["list_price"], line["net_price"]) for line in body["lines"]] == [
        ("2015.00", "1612.00"),
        ("1200.00", "960.00"),
    ]
    assert body["total"] == "2572.00"

    # when staff change the price list and the discount afterwards
    PriceListEntry.objects.filter(product__name="CallXpress", currency="USD").update(
        xpresscare_annual=Decimal("9999.00")
    )
    TermDiscount.objects.update(percent=Decimal(50))
    acme.discount_percent = Decimal(0)
    acme.save()

    # then the submitted order is unchanged, read back or placed again with its PO number
    again = api(alice).get(f"{ORDERS}{body['id']}/").json()
    assert (again["total"], again["lines"]) == (body["total"], body["lines"])
    resubmitted = api(alice).post(ORDERS, {"kind": "renewal", "po_number": "PO-9", "lines": lines})
    assert resubmitted.status_code == 200 and resubmitted.json()["total"] == "2572.00"


def test_a_no_charge_upgrade_costs_nothing(api, alice, cx13):
    body = api(alice).post(
        ORDERS,
        {
            "kind": "no_charge_upgrade",
            "po_number": "PO-NC",
            "customer_name": "Globex",
            "lines": [{"serial_number": "CX-13"}],
        },
    )
    assert body.status_code == 201, body.json()
    assert body.json()["lines"][0]["net_price"] == "0.00"
    assert body.json()["total"] == "0.00"


def test_a_product_without_a_price_in_force_is_refused_with_a_message(api, alice, cx13):
    PriceListEntry.objects.filter(product__name="CallXpress").delete()
    lines = [{"serial_number": "CX-13", "term_months": 12, "covers_um_clients": True}]
    lines[0]["covers_tts"] = True

    refused = api(alice).post(ORDERS, {"kind": "renewal", "po_number": "PO-X", "lines": lines})

    assert refused.status_code == 400
    assert "CallXpress has no price in USD" in refused.json()["lines"][0]
    options = api(alice).get(OPTIONS.format("CX-13"), {"on": "2026-11-26"}).json()
    assert options["options"][0]["list_price"] is None
