"""Renewal outcomes (SPEC §1.9): the rule, its SQL twin, the rate, and the API."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from contracts.models import Contract, RenewalDecision
from contracts.services import contract_book
from renewals.outcomes import outcome_counts, outcome_counts_by_month
from renewals.rules.outcomes import Outcome, on_time_rate, outcome_of

D = date.fromisoformat
E = D("2026-06-30")


@pytest.mark.parametrize(
    ("booked", "declined", "today", "outcome"),
    [
        ("2026-06-30", False, "2026-12-01", Outcome.ON_TIME),  # booked on the end date
        ("2026-05-01", True, "2026-12-01", Outcome.ON_TIME),  # a renewal beats a decision
        ("2026-07-01", False, "2026-12-01", Outcome.IN_GRACE),
        (None, True, "2026-07-05", Outcome.DECLINED),  # whatever today is
        (None, False, "2026-07-31", Outcome.LAPSED),  # today > E + 30
        (None, False, "2026-07-30", Outcome.OPEN),  # today = E + 30: still renewable
        (None, False, "2026-06-01", Outcome.OPEN),
    ],
)
def test_each_outcome(booked, declined, today, outcome):
    renewal = D(booked) if booked else None
    assert (
        outcome_of(ended_on=E, renewal_booked_on=renewal, declined=declined, today=D(today))
        is outcome
    )


def test_the_on_time_rate_leaves_open_ones_out_and_is_none_with_nothing_decided():
    counts = {Outcome.ON_TIME: 13, Outcome.IN_GRACE: 1, Outcome.DECLINED: 1, Outcome.LAPSED: 1}
    assert on_time_rate({**counts, Outcome.OPEN: 40}) == 0.8125
    assert on_time_rate({Outcome.OPEN: 5}) is None
    assert on_time_rate({}) is None


@pytest.mark.django_db
def test_the_sql_twin_agrees_with_the_rule_on_random_histories(alice, acme, make_system):
    rng = random.Random(1209)
    for number in range(40):
        system = make_system(acme, serial_number=f"OC-{number}")
        booked = D("2025-01-01") + timedelta(days=rng.randrange(0, 200))
        contract = contract_book(system=system, kind="plan", booked_on=booked, term_months=12)
        for _ in range(rng.randrange(0, 3)):
            # renew early, on the end date, in grace or not at all
            when = contract.ends_on + timedelta(days=rng.choice([-40, 0, 10, 29, 30, 45]))
            try:
                contract = contract_book(
                    system=system, kind="renewal", booked_on=when, term_months=12
                )
            except Exception:
                break
        if rng.random() < 0.3:
            RenewalDecision.objects.create(
                system=system,
                chain_ends_on=contract.ends_on,
                kind="will_not_renew",
                reason="other",
                decided_by=alice,
                decided_at="2025-01-01T00:00:00Z",
                withdrawn_at="2025-02-01T00:00:00Z" if rng.random() < 0.3 else None,
            )
    contracts = list(Contract.objects.select_related("system"))
    starts = {(c.system_id, c.starts_on): c.booked_on for c in contracts}
    standing = {
        (d.system_id, d.chain_ends_on)
        for d in RenewalDecision.objects.filter(withdrawn_at__isnull=True)
    }
    for today in [D("2025-06-01"), D("2026-03-15"), D("2026-09-01"), D("2028-01-01")]:
        expected = Counter(
            outcome_of(
                ended_on=c.ends_on,
                renewal_booked_on=starts.get((c.system_id, c.ends_on + timedelta(days=1))),
                declined=(c.system_id, c.ends_on) in standing,
                today=today,
            )
            for c in contracts
        )
        got = outcome_counts(acme, D("2020-01-01"), D("2030-12-31"), today)
        assert got.counts == {outcome: expected[outcome] for outcome in Outcome}, today
    by_month = outcome_counts_by_month(acme, D("2020-01-01"), D("2030-12-31"), D("2026-09-01"))
    assert sum(months.total for months in by_month.values()) == len(contracts)


@pytest.mark.django_db
def test_the_api_answers_the_counts_and_the_rate_of_a_period(api, alice, acme, make_system):
    for number, (booked, renewal) in enumerate(
        [("2025-01-01", "2025-12-20"), ("2025-01-15", "2026-01-20"), ("2025-01-20", None)]
    ):
        system = make_system(acme, serial_number=f"API-{number}")
        contract_book(system=system, kind="plan", booked_on=D(booked), term_months=12)
        if renewal:
            contract_book(system=system, kind="renewal", booked_on=D(renewal), term_months=12)
    with time_machine.travel(datetime(2026, 6, 1, 18, tzinfo=UTC)):
        body = api(alice).get("/api/v1/renewals/outcomes/", {"from": "2025-12", "to": "2026-01"})
    assert body.status_code == 200, body.json()
    assert body.json() == {
        "on_time": 1,
        "in_grace": 1,
        "declined": 0,
        "lapsed": 1,
        "open": 0,
        "on_time_rate": 1 / 3,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{"from": "2026-13", "to": "2026-12"}, {"from": "2026-06", "to": "2026-01"}, {"from": "x"}],
)
def test_the_api_refuses_bad_months_with_a_message(api, alice, query):
    answer = api(alice).get("/api/v1/renewals/outcomes/", query)
    assert answer.status_code == 400
    assert answer.json()


@pytest.mark.django_db
def test_staff_name_the_reseller_and_others_cannot(api, alice, bob, olivia, acme):
    assert api(olivia).get("/api/v1/renewals/outcomes/").status_code == 400
    assert api(olivia).get("/api/v1/renewals/outcomes/", {"reseller": "R-1001"}).status_code == 200
    assert api(bob).get("/api/v1/renewals/outcomes/", {"reseller": "R-1001"}).status_code == 404
