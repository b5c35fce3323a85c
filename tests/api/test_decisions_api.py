"""GET/PUT/DELETE /api/v1/systems/{serial_number}/renewal-decision/ (SPEC §6.2, §1.8)."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from contracts.models import RenewalDecision
from contracts.services import contract_book

pytestmark = pytest.mark.django_db
URL = "/api/v1/systems/{}/renewal-decision/"


@pytest.fixture(autouse=True)
def december_first():
    """Acme's today is 1 Dec 2026 (Pacific), the system's chain ends 31 Dec 2026."""
    with time_machine.travel(datetime(2026, 12, 1, 18, 0, tzinfo=UTC), tick=True):
        yield


@pytest.fixture
def cx9(acme, make_system):
    system = make_system(acme, serial_number="CX-9")
    contract_book(system=system, kind="plan", booked_on=date(2026, 1, 1), term_months=12)
    return system


def test_put_records_get_reads_and_delete_withdraws(api, alice, cx9):
    client = api(alice)
    assert client.get(URL.format("CX-9")).status_code == 404  # nothing decided yet

    put = client.put(
        URL.format("CX-9"),
        {"decision": "will_not_renew", "reason": "decommissioned", "note": "Site closed"},
        format="json",
    )

    assert put.status_code == 200, put.json()
    body = put.json()
    assert {key: body[key] for key in ("decision", "reason", "note", "until")} == {
        "decision": "will_not_renew",
        "reason": "decommissioned",
        "note": "Site closed",
        "until": None,
    }
    assert (body["chain_ends_on"], body["decided_by"]) == ("2026-12-31", "alice")
    assert client.get(URL.format("CX-9")).json() == body
    assert client.delete(URL.format("CX-9")).status_code == 204
    assert client.get(URL.format("CX-9")).status_code == 404
    assert client.delete(URL.format("CX-9")).status_code == 404
    assert RenewalDecision.objects.get().withdrawn_at is not None  # kept, withdrawn


def test_remind_later_until_a_date(api, alice, cx9):
    answer = api(alice).put(
        URL.format("CX-9"), {"decision": "remind_later", "until": "2027-01-10"}, format="json"
    )
    assert answer.status_code == 200
    assert (answer.json()["decision"], answer.json()["until"]) == ("remind_later", "2027-01-10")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "maybe"}, "decision"),
        ({"decision": "will_not_renew", "reason": "bored"}, "reason"),
        ({"decision": "will_not_renew"}, "reason"),
        ({"decision": "remind_later"}, "until"),
        ({"decision": "remind_later", "until": "2026-12-01"}, "until"),  # today
        ({"decision": "remind_later", "until": "2027-01-31"}, "until"),  # after renew-by
        ({"decision": "remind_later", "until": "soon"}, "until"),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_records_nothing(api, alice, cx9, body, field):
    answer = api(alice).put(URL.format("CX-9"), body, format="json")
    assert answer.status_code == 400
    assert answer.json()[field]
    assert not RenewalDecision.objects.exists()


def test_a_lapsed_system_takes_no_decision(api, alice, acme, make_system):
    lapsed = make_system(acme, serial_number="CX-OLD")
    contract_book(system=lapsed, kind="plan", booked_on=date(2024, 1, 1), term_months=12)
    answer = api(alice).put(
        URL.format("CX-OLD"), {"decision": "will_not_renew", "reason": "other"}, format="json"
    )
    assert answer.status_code == 400
    assert "this one is lapsed" in answer.json()["decision"][0]


def test_another_resellers_system_is_a_404(api, bob, cx9):
    answer = api(bob).put(
        URL.format("CX-9"), {"decision": "will_not_renew", "reason": "other"}, format="json"
    )
    assert answer.status_code == 404
