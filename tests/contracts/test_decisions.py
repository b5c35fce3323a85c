"""Renewal decisions (SPEC §1.8): the rule, recording and withdrawing, and where they count."""

import random
from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from contracts import rules
from contracts.coverage_sql import decision_applies
from contracts.models import RenewalDecision, System
from contracts.rules.decisions import Decision, DecisionKind, applies, check_decision
from contracts.services import contract_book, renewal_decision_record, renewal_decision_withdraw
from partnerxpress.core.errors import RuleViolation
from renewals.due import renewal_due_list

D = date.fromisoformat
WNR, LATER = DecisionKind.WILL_NOT_RENEW, DecisionKind.REMIND_LATER


def coverage(ends_on: str, on: str) -> rules.Coverage:
    """A system covered for a year up to `ends_on`, seen on `on`."""
    end = D(ends_on)
    period = rules.Period(end - timedelta(days=364), end)
    return rules.coverage_on([period], eligible=True, on=D(on))


# --- the rule, without a database ---------------------------------------------------------------


def test_a_decision_applies_to_the_chain_end_it_was_made_for():
    decision = Decision(WNR, D("2026-12-31"))
    assert applies(decision, chain_ends_on=D("2026-12-31"), on=D("2026-12-01"))
    # a renewal was booked: the chain now ends a year later
    assert not applies(decision, chain_ends_on=D("2027-12-31"), on=D("2026-12-01"))
    assert not applies(
        Decision(WNR, D("2026-12-31"), withdrawn=True),
        chain_ends_on=D("2026-12-31"),
        on=D("2026-12-01"),
    )


@pytest.mark.parametrize(
    ("on", "applying"),
    [("2027-01-09", True), ("2027-01-10", False), ("2027-01-11", False)],
)
def test_remind_later_applies_until_the_day_before_its_date(on, applying):
    decision = Decision(LATER, D("2026-12-31"), until=D("2027-01-10"))
    assert applies(decision, chain_ends_on=D("2026-12-31"), on=D(on)) is applying


@pytest.mark.parametrize(
    ("until", "refused"),
    [
        ("2026-12-01", True),  # today
        ("2026-12-02", False),  # tomorrow
        ("2027-01-30", False),  # the renew-by date
        ("2027-01-31", True),  # after it
        (None, True),
    ],
)
def test_remind_later_needs_a_date_after_today_and_at_the_latest_the_renew_by_date(until, refused):
    seen = coverage("2026-12-31", "2026-12-01")
    check = lambda: check_decision(  # noqa: E731
        LATER, reason="", until=until and D(until), coverage=seen, today=D("2026-12-01")
    )
    if refused:
        with pytest.raises(RuleViolation, match="no later than the renew-by date") as caught:
            check()
        assert caught.value.field == "until"
    else:
        check()


def test_unknown_decisions_and_reasons_are_refused_with_a_message():
    seen = coverage("2026-12-31", "2026-12-01")
    with pytest.raises(RuleViolation, match="will not renew"):
        check_decision("maybe", reason="", until=None, coverage=seen, today=D("2026-12-01"))
    with pytest.raises(RuleViolation, match="Choose a reason: decommissioned"):
        check_decision(WNR, reason="bored", until=None, coverage=seen, today=D("2026-12-01"))


@pytest.mark.parametrize(
    ("seen", "label"),
    [
        (coverage("2026-06-30", "2026-12-01"), "lapsed"),
        (rules.coverage_on([], eligible=True, on=D("2026-12-01")), "never covered"),
        (rules.coverage_on([], eligible=False, on=D("2026-12-01")), "not eligible"),
    ],
)
def test_decisions_are_only_for_renewable_systems(seen, label):
    with pytest.raises(RuleViolation, match=f"this one is {label}"):
        check_decision(WNR, reason="other", until=None, coverage=seen, today=D("2026-12-01"))


@given(
    st.sampled_from([WNR, LATER]),
    st.dates(date(2025, 1, 1), date(2028, 12, 31)),
    st.dates(date(2025, 1, 1), date(2028, 12, 31)),
    st.dates(date(2025, 1, 1), date(2028, 12, 31)),
    st.booleans(),
)
def test_a_decision_never_applies_to_another_chain_end_nor_once_withdrawn(
    kind, made_for, chain_end, on, withdrawn
):
    decision = Decision(kind, made_for, until=made_for, withdrawn=withdrawn)
    if applies(decision, chain_ends_on=chain_end, on=on):
        assert chain_end == made_for and not withdrawn
        assert kind == WNR or on < decision.until


# --- recording, with a database -------------------------------------------------------------------


@pytest.fixture
def expiring(acme, make_system):
    """An Acme system covered 2026-01-01 to 2026-12-31: renewable in December 2026."""
    system = make_system(acme, serial_number="CX-DEC")
    contract_book(system=system, kind="plan", booked_on=D("2026-01-01"), term_months=12)
    return system


@pytest.mark.django_db
def test_a_decision_is_recorded_replaced_and_withdrawn_and_every_step_is_kept(
    alice, olivia, expiring
):
    first = renewal_decision_record(
        system=expiring, user=alice, kind=WNR, reason="decommissioned", today=D("2026-12-01")
    )
    assert (first.chain_ends_on, first.decided_by) == (D("2026-12-31"), alice)
    second = renewal_decision_record(
        system=expiring, user=olivia, kind=LATER, until=D("2027-01-10"), today=D("2026-12-02")
    )
    first.refresh_from_db()
    assert first.withdrawn_by == olivia and first.withdrawn_at is not None
    assert renewal_decision_withdraw(system=expiring, user=alice, today=D("2026-12-03")) == second
    assert renewal_decision_withdraw(system=expiring, user=alice, today=D("2026-12-03")) is None
    history = list(
        RenewalDecision.objects.order_by("pk").values_list("kind", "withdrawn_by__username")
    )
    assert history == [("will_not_renew", "olivia"), ("remind_later", "alice")]


@pytest.mark.django_db
def test_a_refused_decision_records_nothing(alice, expiring):
    with pytest.raises(RuleViolation):
        renewal_decision_record(
            system=expiring, user=alice, kind=LATER, until=D("2027-02-01"), today=D("2026-12-01")
        )
    assert not RenewalDecision.objects.exists()


@pytest.mark.django_db
def test_a_decision_made_before_a_renewal_no_longer_applies_after_it(alice, expiring):
    renewal_decision_record(
        system=expiring, user=alice, kind=WNR, reason="customer_declined", today=D("2026-12-01")
    )
    assert _decided(D("2026-12-10")) == {"CX-DEC"}
    contract_book(system=expiring, kind="renewal", booked_on=D("2026-12-10"), term_months=12)
    assert _decided(D("2026-12-10")) == set()


def _decided(on: date) -> set[str]:
    return set(System.objects.filter(decision_applies(on)).values_list("serial_number", flat=True))


@pytest.mark.django_db
def test_the_sql_twin_agrees_with_the_rule_on_random_decisions(alice, acme, make_system):
    rng = random.Random(1208)
    systems = []
    for number in range(30):
        system = make_system(acme, serial_number=f"RD-{number}")
        start = D("2025-01-01") + timedelta(days=rng.randrange(0, 500))
        contract_book(system=system, kind="plan", booked_on=start, term_months=12)
        end = start + timedelta(days=364)
        if rng.random() < 0.7:
            kind = rng.choice([WNR, LATER])
            RenewalDecision.objects.create(
                system=system,
                chain_ends_on=end if rng.random() < 0.8 else end - timedelta(days=1),
                kind=kind,
                until=D("2026-01-15") if kind == LATER else None,
                decided_by=alice,
                decided_at="2025-01-01T00:00:00Z",
            )
        systems.append((system, end))
    for offset in range(0, 800, 11):
        on = D("2025-01-01") + timedelta(days=offset)
        by_rule = set()
        for system, end in systems:
            for decision in system.renewal_decisions.all():
                if applies(decision.as_rule, chain_ends_on=end, on=on):
                    by_rule.add(system.serial_number)
        assert _decided(on) == by_rule, on


# --- where decisions count ---------------------------------------------------------------------


@pytest.mark.django_db
def test_decided_systems_are_left_out_of_the_renewal_e_mail_and_counted(alice, expiring):
    renewal_decision_record(
        system=expiring, user=alice, kind=LATER, until=D("2026-12-20"), today=D("2026-12-01")
    )
    december = renewal_due_list(expiring.reseller, D("2026-12-01"))
    assert (december.rows, december.decided) == ([], 1)
    after = renewal_due_list(expiring.reseller, D("2026-12-20"))  # the reminder's day
    assert [row.serial_number for row in after.rows] == ["CX-DEC"]


@pytest.mark.django_db
def test_the_contracts_list_filters_and_shows_decisions(client, alice, acme, make_system, today):
    from tests.contracts.factories import system_in_status

    decided = system_in_status(acme, "expiring", today, serial_number="EX-1")
    system_in_status(acme, "expiring", today, serial_number="EX-2")
    renewal_decision_record(system=decided, user=alice, kind=WNR, reason="replaced")
    client.force_login(alice)
    url = reverse("contracts:list")

    def serials(**query) -> list[str]:
        page = client.get(url, query)
        return [row.system.serial_number for row in page.context["rows"]]

    assert serials(decision="will_not_renew") == ["EX-1"]
    assert serials(decision="none", status="expiring") == ["EX-2"]
    assert serials(decision=["none", "will_not_renew"], status="expiring") == ["EX-1", "EX-2"]
    assert serials(decision="remind_later") == []
    assert "Will not renew · replaced" in client.get(url).content.decode()
    home = client.get(reverse("home")).context["overview"]
    assert (home.by_status[rules.Status.EXPIRING], home.due, home.decided_to_act) == (2, 1, 1)
