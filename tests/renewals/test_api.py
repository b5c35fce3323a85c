"""Orders in the REST API: the same rules and messages as the portal, scoped to the caller."""

import pytest
from dateutil.relativedelta import relativedelta
from rest_framework.test import APIClient

from contracts.rules import MESSAGES
from renewals.models import Order
from renewals.rules import ORDER_MESSAGES

pytestmark = pytest.mark.django_db
URL = "/api/v1/orders/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_renewal_order_is_placed_and_read_back(alice, expiring):
    body = {
        "kind": "renewal",
        "po_number": "PO-1",
        "lines": [{"serial_number": "CX-EXP-1", "term_months": 13}],
    }
    answer = api(alice).post(URL, body, format="json")
    assert answer.status_code == 201, answer.json()
    order = answer.json()
    assert (order["kind"], order["state"], order["customer"]) == ("renewal", "submitted", "Globex")
    assert order["lines"] == [
        {
            "serial_number": "CX-EXP-1",
            "term_months": 13,
            "covers_um_clients": False,
            "covers_tts": False,
            "target_release": None,
            "contract": None,
            "list_price": "1300.00",  # 13 months of CallXpress at 1,200.00 a year (SPEC §1.7)
            "net_price": "1300.00",
        }
    ]
    assert (order["currency"], order["total"]) == ("USD", "1300.00")
    again = api(alice).get(f"{URL}{order['id']}/")
    assert again.json() == order


def test_the_same_po_number_again_returns_the_order_with_200(alice, expiring):
    body = {
        "kind": "renewal",
        "po_number": "PO-1",
        "lines": [{"serial_number": "CX-EXP-1", "term_months": 12}],
    }
    first = api(alice).post(URL, body, format="json")
    second = api(alice).post(URL, body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Order.objects.count() == 1


def test_a_refused_order_is_a_400_with_the_rules_message(alice, lapsed):
    body = {
        "kind": "renewal",
        "po_number": "PO-1",
        "lines": [{"serial_number": "CX-LAP-1", "term_months": 12}],
    }
    answer = api(alice).post(URL, body, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"lines": ["CX-LAP-1: " + MESSAGES["renewal_too_late"]]}


def test_a_no_charge_upgrade_checks_the_customer_name(alice, expiring):
    body = {
        "kind": "no_charge_upgrade",
        "po_number": "PO-1",
        "customer_name": "Initech",
        "lines": [{"serial_number": "CX-EXP-1"}],
    }
    answer = api(alice).post(URL, body, format="json")
    message = ORDER_MESSAGES["customer_mismatch"].format(given="Initech", serial="CX-EXP-1")
    assert (answer.status_code, answer.json()) == (400, {"customer_name": [message]})
    body["customer_name"] = "Globex"
    placed = api(alice).post(URL, body, format="json").json()
    assert placed["lines"][0]["target_release"] == "8.1"


def test_an_order_without_lines_is_a_400(alice):
    answer = api(alice).post(URL, {"kind": "plan", "po_number": "P", "lines": []}, format="json")
    assert answer.status_code == 400 and "lines" in answer.json()


def test_each_caller_sees_only_their_orders(
    alice, bob, expiring, brightline, make_system, book, place, today
):
    system = make_system(brightline, customer="Umbrella", serial_number="CX-BOB")
    book(system, "plan", today - relativedelta(months=6))
    bobs = place(bob, "renewal", "PO-B", ("CX-BOB", 12))
    mine = place(alice, "renewal", "PO-A", ("CX-EXP-1", 12))
    listed = api(alice).get(URL).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [mine.pk]
    assert api(alice).get(f"{URL}{bobs.pk}/").status_code == 404
    assert api(alice).get(f"{URL}999999/").status_code == 404


def test_without_contracts_access_orders_are_403(carol):
    assert api(carol).get(URL).status_code == 403
    assert api(carol).post(URL, {}, format="json").status_code == 403


def test_anonymous_callers_are_refused():
    assert APIClient().get(URL).status_code in (401, 403)
