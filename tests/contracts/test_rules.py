"""The coverage rules of SPEC §1.3, without a database."""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from contracts import rules
from contracts.rules import Booking, Period, Purchase, PurchaseKind, Status, SystemFacts
from partnerxpress.core.errors import RuleViolation

D = date.fromisoformat


def cx(*purchases: Purchase, release="8.0", um=0, tts=0, eligible=True) -> SystemFacts:
    return SystemFacts(
        eligible=eligible,
        release=release,
        product_releases=("7.5", "8.0", "8.1"),
        um_clients=um,
        tts_channels=tts,
        purchases=purchases,
    )


def bought(kind: PurchaseKind, booked: str, starts: str, term: int) -> Purchase:
    return Purchase(kind, D(booked), D(starts), rules.ends_on(D(starts), term))


def booking(
    kind=PurchaseKind.RENEWAL, booked="2026-07-01", term=12, um=False, tts=False
) -> Booking:
    return Booking(kind, D(booked), term, um, tts)


JUNE_30 = bought(PurchaseKind.PLAN, "2025-07-01", "2025-07-01", 12)  # chain ends 2026-06-30


# --- date arithmetic -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts", "term", "ends"),
    [
        ("2026-01-01", 12, "2026-12-31"),
        ("2026-03-31", 12, "2027-03-30"),
        ("2026-01-31", 13, "2027-02-27"),
        ("2024-02-29", 12, "2025-02-27"),
        ("2024-02-29", 48, "2028-02-28"),
        ("2026-08-31", 15, "2027-11-29"),
    ],
)
def test_ends_on_examples(starts, term, ends):
    assert rules.ends_on(D(starts), term) == D(ends)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(days, st.sampled_from(rules.ALL_TERMS))
def test_ends_on_is_start_plus_calendar_months_minus_one_day(starts, term):
    end = rules.ends_on(starts, term)
    following = end + timedelta(days=1)
    months = (following.year - starts.year) * 12 + following.month - starts.month
    assert months == term
    # the day is kept, or clipped to the last day of a shorter month
    assert following.day == starts.day or (
        following.day < starts.day and (following + timedelta(days=1)).month != following.month
    )


# --- kinds and start dates -------------------------------------------------------------------


def test_new_purchase_starts_30_days_after_booking():
    period = rules.book(cx(), booking(PurchaseKind.NEW_PURCHASE, "2026-01-10", 12))
    assert period == Period(D("2026-02-09"), D("2027-02-08"))


def test_plan_and_upgrade_start_on_the_booking_date():
    assert rules.book(cx(), booking(PurchaseKind.PLAN, "2026-05-05", 24)).starts_on == D(
        "2026-05-05"
    )
    assert rules.book(cx(), booking(PurchaseKind.UPGRADE, "2026-05-05", 36)).ends_on == D(
        "2029-05-04"
    )


def test_renewal_starts_the_day_after_the_chain_ends_whenever_booked():
    early = rules.book(cx(JUNE_30), booking(booked="2026-01-15"))
    late = rules.book(cx(JUNE_30), booking(booked="2026-07-30"))
    assert early == late == Period(D("2026-07-01"), D("2027-06-30"))


def test_renewal_booked_30_days_after_the_chain_ends_is_accepted():
    assert rules.book(cx(JUNE_30), booking(booked="2026-07-30")).starts_on == D("2026-07-01")


def test_renewal_booked_31_days_late_is_refused():
    with pytest.raises(RuleViolation) as refused:
        rules.book(cx(JUNE_30), booking(booked="2026-07-31"))
    assert refused.value.message == (
        "Coverage ended more than 30 days ago: purchase a software upgrade to return to XpressCare."
    )


def test_renewals_may_be_chained_ahead():
    first = Purchase(PurchaseKind.RENEWAL, D("2026-02-01"), D("2026-07-01"), D("2027-06-30"))
    period = rules.book(cx(JUNE_30, first), booking(booked="2026-03-01", term=13))
    assert period == Period(D("2027-07-01"), D("2028-07-31"))


def test_13_to_15_month_renewals_move_the_expiration_date():
    ends = [rules.book(cx(JUNE_30), booking(term=t)).ends_on for t in (13, 14, 15)]
    assert ends == [D("2027-07-31"), D("2027-08-31"), D("2027-09-30")]


@pytest.mark.parametrize(
    ("kind", "term"),
    [
        (PurchaseKind.PLAN, 13),
        (PurchaseKind.NEW_PURCHASE, 15),
        (PurchaseKind.UPGRADE, 18),
        (PurchaseKind.RENEWAL, 6),
    ],
)
def test_terms_outside_the_kind_are_refused(kind, term):
    history = (JUNE_30,) if kind == PurchaseKind.RENEWAL else ()
    with pytest.raises(RuleViolation) as refused:
        rules.book(cx(*history), booking(kind, "2026-06-01", term))
    assert refused.value.code == "invalid_term"


def test_renewal_of_a_never_covered_system_is_refused():
    with pytest.raises(RuleViolation) as refused:
        rules.book(cx(), booking())
    assert refused.value.code == "nothing_to_renew"


def test_plan_is_refused_for_a_system_covered_before():
    with pytest.raises(RuleViolation) as refused:
        rules.book(cx(JUNE_30), booking(PurchaseKind.PLAN, "2027-01-01"))
    assert refused.value.code == "plan_after_coverage"


def test_new_purchase_is_refused_for_a_system_covered_before():
    with pytest.raises(RuleViolation) as refused:
        rules.book(cx(JUNE_30), booking(PurchaseKind.NEW_PURCHASE, "2027-01-01"))
    assert refused.value.code == "new_purchase_after_coverage"


def test_paid_upgrade_is_refused_while_covered():
    with pytest.raises(RuleViolation) as refused:
        rules.book(cx(JUNE_30), booking(PurchaseKind.UPGRADE, "2026-06-30"))
    assert refused.value.message == (
        "This system is covered by XpressCare on Jun 30, 2026: covered systems receive upgrades "
        "at no charge."
    )


def test_paid_upgrade_after_a_lapse_starts_coverage_on_the_booking_date():
    assert rules.book(cx(JUNE_30), booking(PurchaseKind.UPGRADE, "2026-09-01")) == Period(
        D("2026-09-01"), D("2027-08-31")
    )


def test_paid_upgrade_during_grace_is_allowed_too():
    assert rules.book(cx(JUNE_30), booking(PurchaseKind.UPGRADE, "2026-07-01")).starts_on == D(
        "2026-07-01"
    )


def test_overlapping_coverage_is_refused():
    pending = bought(PurchaseKind.NEW_PURCHASE, "2026-01-01", "2026-01-31", 12)
    with pytest.raises(RuleViolation) as refused:
        rules.book(cx(pending, eligible=True), booking(PurchaseKind.UPGRADE, "2026-01-10"))
    assert refused.value.code == "overlap"


def test_the_same_purchase_is_not_booked_twice():
    with pytest.raises(RuleViolation) as refused:
        rules.book(cx(JUNE_30), booking(PurchaseKind.PLAN, "2025-07-01"))
    assert refused.value.code == "already_booked"


def test_rightfax_is_refused_for_every_kind():
    for kind in PurchaseKind:
        with pytest.raises(RuleViolation) as refused:
            rules.book(cx(eligible=False), booking(kind, "2026-01-01"))
        assert "RightFax support plans must be purchased separately" in refused.value.message


# --- add-ons ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("um", "tts", "covers_um", "covers_tts", "missing"),
    [
        (51, 0, False, False, "UM clients"),
        (51, 0, True, False, None),
        (50, 0, False, False, None),
        (0, 1, False, False, "text-to-speech"),
        (0, 1, False, True, None),
        (0, 0, False, False, None),
        (120, 4, True, False, "text-to-speech"),
    ],
)
def test_add_on_requirements(um, tts, covers_um, covers_tts, missing):
    request = booking(PurchaseKind.PLAN, "2026-01-01", um=covers_um, tts=covers_tts)
    if missing is None:
        rules.book(cx(um=um, tts=tts), request)
    else:
        with pytest.raises(RuleViolation) as refused:
            rules.book(cx(um=um, tts=tts), request)
        assert missing in refused.value.message


# --- status ----------------------------------------------------------------------------------

YEAR_2026 = bought(PurchaseKind.PLAN, "2026-01-01", "2026-01-01", 12)  # 2026-01-01 .. 2026-12-31


@pytest.mark.parametrize(
    ("purchases", "on", "status", "renew_by"),
    [
        ((), "2026-06-01", Status.NEVER, None),
        ((YEAR_2026,), "2025-12-31", Status.PENDING, "2027-01-30"),
        ((YEAR_2026,), "2026-10-01", Status.COVERED, "2027-01-30"),
        ((YEAR_2026,), "2026-10-02", Status.EXPIRING, "2027-01-30"),
        ((YEAR_2026,), "2026-12-31", Status.EXPIRING, "2027-01-30"),
        ((YEAR_2026,), "2027-01-01", Status.GRACE, "2027-01-30"),
        ((YEAR_2026,), "2027-01-30", Status.GRACE, "2027-01-30"),
        ((YEAR_2026,), "2027-01-31", Status.LAPSED, None),
    ],
)
def test_status_on_a_date(purchases, on, status, renew_by):
    coverage = rules.coverage_on([p.period for p in purchases], eligible=True, on=D(on))
    assert coverage.status == status
    assert coverage.renew_by == (D(renew_by) if renew_by else None)


def test_rightfax_is_ineligible_whatever_its_history():
    assert rules.coverage_on([], eligible=False, on=D("2026-01-01")).status == Status.INELIGIBLE


def test_entitlement_example_from_the_spec():
    system = cx(YEAR_2026, release="8.0", tts=2)
    entitlement = rules.entitlement_on(system, D("2026-11-26"))
    assert entitlement.coverage.status == Status.EXPIRING
    assert entitlement.coverage.starts_on == D("2026-01-01")
    assert entitlement.coverage.ends_on == D("2026-12-31")
    assert entitlement.coverage.renew_by == D("2027-01-30")
    assert (entitlement.upgrade_eligible, entitlement.upgrade_to) == (True, "8.1")
    assert entitlement.support_eligible is True
    assert (entitlement.requires_um_coverage, entitlement.requires_tts_coverage) == (False, True)


def test_a_release_two_behind_is_not_supported():
    entitlement = rules.entitlement_on(cx(YEAR_2026, release="7.0"), D("2026-06-01"))
    assert entitlement.upgrade_eligible and not entitlement.support_eligible


def test_uncovered_systems_are_neither_upgrade_nor_support_eligible():
    entitlement = rules.entitlement_on(cx(YEAR_2026, release="8.0"), D("2027-01-05"))
    assert not entitlement.upgrade_eligible and not entitlement.support_eligible


def test_versions_compare_as_dotted_numbers():
    assert rules.version_key("8.10") > rules.version_key("8.9")
    assert rules.version_sort_key("8.10") > rules.version_sort_key("8.9")
    assert rules.supported_releases(["8.9", "8.10", "7.0"]) == ("8.10", "8.9")


# --- properties ------------------------------------------------------------------------------

renewal_terms = st.sampled_from(rules.RENEWAL_TERMS)


@given(days, st.sampled_from((12, 24, 36)), st.lists(renewal_terms, max_size=6))
def test_chained_renewals_never_overlap_nor_leave_a_gap(start, first_term, terms):
    history = [Purchase(PurchaseKind.PLAN, start, start, rules.ends_on(start, first_term))]
    for term in terms:
        booked_on = history[-1].ends_on  # the last covered day: always in the window
        period = rules.book(
            cx(*history), Booking(PurchaseKind.RENEWAL, booked_on, term, False, False)
        )
        assert period.starts_on == history[-1].ends_on + timedelta(days=1)
        history.append(Purchase(PurchaseKind.RENEWAL, booked_on, period.starts_on, period.ends_on))
    assert len(rules.chains(p.period for p in history)) == 1


@given(days, st.sampled_from((12, 24, 36)), renewal_terms, st.integers(0, 400), st.integers(0, 400))
def test_a_renewal_booked_on_any_day_of_its_window_has_the_same_dates(start, term, renew, a, b):
    plan = Purchase(PurchaseKind.PLAN, start, start, rules.ends_on(start, term))
    window_opens = start  # renewing early is allowed
    window_closes = plan.ends_on + timedelta(days=rules.GRACE_DAYS)
    span = (window_closes - window_opens).days
    first, second = (window_opens + timedelta(days=x % (span + 1)) for x in (a, b))
    assume(first != second)
    booked = [
        rules.book(cx(plan), Booking(PurchaseKind.RENEWAL, on, renew, False, False))
        for on in (first, second)
    ]
    assert booked[0] == booked[1]


@st.composite
def histories(draw):
    """A random gap-free-or-not history built through the booking rules themselves."""
    on = draw(days)
    history: list[Purchase] = []
    for _ in range(draw(st.integers(0, 5))):
        on += timedelta(days=draw(st.integers(0, 500)))
        kind = draw(st.sampled_from(list(PurchaseKind)))
        term = draw(st.sampled_from(rules.TERMS[kind]))
        try:
            period = rules.book(cx(*history), Booking(kind, on, term, False, False))
        except RuleViolation:
            continue
        history.append(Purchase(kind, on, period.starts_on, period.ends_on))
    return tuple(history)


@given(histories(), days)
def test_status_renewable_and_renew_by_agree(history, on):
    coverage = rules.coverage_on([p.period for p in history], eligible=True, on=on)
    assert coverage.renewable == (coverage.renew_by is not None)
    assert coverage.renewable == (coverage.renew_by is not None and on <= coverage.renew_by)
    assert coverage.covered == any(p.period.contains(on) for p in history)
    assert coverage.covered == (coverage.status in {Status.COVERED, Status.EXPIRING})
    if coverage.status == Status.EXPIRING:
        assert on <= coverage.ends_on <= on + timedelta(days=rules.EXPIRING_DAYS)
    if coverage.status == Status.GRACE:
        assert on - timedelta(days=rules.GRACE_DAYS) <= coverage.ends_on < on
    if coverage.status == Status.PENDING:
        assert all(p.starts_on > on for p in history)
    # renewing is possible exactly when the status says so
    try:
        rules.renewal_start(cx(*history), on)
        can_renew = True
    except RuleViolation:
        can_renew = False
    assert can_renew == coverage.renewable


@given(histories())
def test_booked_histories_never_overlap(history):
    periods = sorted(p.period for p in history)
    assert all(a.ends_on < b.starts_on for a, b in itertools.pairwise(periods))
