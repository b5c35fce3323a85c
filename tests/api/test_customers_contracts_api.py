"""Customers and contracts collections: fields, filters, bad input."""

from datetime import date

import pytest

from contracts.services import contract_book

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers/"
CONTRACTS = "/api/v1/contracts/"


def test_a_customer_row_has_its_name_site_and_reseller(api, alice, cx1):
    customer = cx1.customer

    rows = api(alice).get(CUSTOMERS).json()["results"]

    assert rows == [
        {
            "id": customer.pk,
            "name": "Globex",
            "reseller": "R-1001",
            "site_address": "1 Main Street, Springfield",
            "country": "United States",
        }
    ]
    assert api(alice).get(f"{CUSTOMERS}{customer.pk}/").json() == rows[0]


def test_customers_are_searched_by_name(api, alice, acme, make_system):
    for name in ("Globex", "Initech", "Globe Trotters"):
        make_system(acme, customer=name)

    rows = api(alice).get(CUSTOMERS, {"q": "glob"}).json()["results"]

    assert [row["name"] for row in rows] == ["Globe Trotters", "Globex"]


def test_a_contract_row_has_every_field_of_the_purchase(api, alice, cx1):
    contract = cx1.contracts.get()

    rows = api(alice).get(CONTRACTS).json()["results"]

    assert rows == [
        {
            "id": contract.pk,
            "number": f"XC-{contract.pk:07d}",
            "serial_number": "CX-1",
            "customer": cx1.customer_id,
            "customer_name": "Globex",
            "product": "CallXpress",
            "kind": "plan",
            "booked_on": "2026-01-01",
            "starts_on": "2026-01-01",
            "term_months": 12,
            "ends_on": "2026-12-31",
            "covers_um_clients": False,
            "covers_tts": True,
            "po_number": "PO-1",
        }
    ]
    assert api(alice).get(f"{CONTRACTS}{contract.pk}/").json() == rows[0]


@pytest.fixture
def history(acme, make_system, cx1):
    """CX-1's plan and renewal, and another system's plan."""
    contract_book(
        system=cx1, kind="renewal", booked_on=date(2026, 11, 26), term_months=13, covers_tts=True
    )
    other = make_system(acme, customer="Initech")
    contract_book(system=other, kind="plan", booked_on=date(2026, 3, 1), term_months=24)
    return other


def test_contracts_are_listed_by_end_date(api, alice, history):
    rows = api(alice).get(CONTRACTS).json()["results"]

    assert [(row["serial_number"], row["ends_on"]) for row in rows] == [
        ("CX-1", "2026-12-31"),
        ("CX-1", "2028-01-31"),
        (history.serial_number, "2028-02-29"),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"system": "CX-1"}, [("CX-1", "plan"), ("CX-1", "renewal")]),
        ({"kind": "renewal"}, [("CX-1", "renewal")]),
        ({"system": "CX-1", "kind": "plan"}, [("CX-1", "plan")]),
    ],
)
def test_contracts_filter_by_system_and_kind(api, alice, history, params, expected):
    rows = api(alice).get(CONTRACTS, params).json()["results"]

    assert [(row["serial_number"], row["kind"]) for row in rows] == expected


def test_contracts_filter_by_customer(api, alice, history):
    rows = api(alice).get(CONTRACTS, {"customer": history.customer_id}).json()["results"]

    assert [row["serial_number"] for row in rows] == [history.serial_number]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"system": "NO-SUCH"}, "system", "No system has this serial number."),
        ({"customer": "424242"}, "customer", "No customer has this id."),
        ({"kind": "gift"}, "kind", None),
        ({"kind": ""}, "kind", "Give a value, or leave this parameter out."),
    ],
)
def test_bad_contract_filters_are_a_400_on_their_field(api, alice, cx1, params, field, message):
    response = api(alice).get(CONTRACTS, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    if message:
        assert response.json()[field] == [message]


def test_another_resellers_serial_is_refused_like_an_unknown_one(
    api, alice, brightline, make_system, cx1
):
    theirs = make_system(brightline, customer="Hooli")
    contract_book(system=theirs, kind="plan", booked_on=date(2026, 1, 1), term_months=12)

    foreign = api(alice).get(CONTRACTS, {"system": theirs.serial_number})
    unknown = api(alice).get(CONTRACTS, {"system": "NO-SUCH"})

    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == unknown.json()
