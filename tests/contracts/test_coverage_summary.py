"""A list row's entitlement from the coverage summary equals the full rule (SPEC §1.3, §6.2).

`rules.entitlement_from_summary` reads the last two chains (the columns the booking service
keeps) and the latest period start on or before the date (SQL); `rules.entitlement_on` reads
the whole history. They must agree whenever at most one chain starts after the date, which
is always so for today.
"""

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from contracts import rules
from contracts.rules import CoverageSummary, Period, Purchase, PurchaseKind, Status, SystemFacts

D = date.fromisoformat
RELEASES = ("7.5", "8.0", "8.1")


def facts(periods, *, eligible=True, release="8.0", um=0, tts=0) -> SystemFacts:
    purchases = tuple(
        Purchase(PurchaseKind.PLAN, period.starts_on, period.starts_on, period.ends_on)
        for period in periods
    )
    return SystemFacts(eligible, release, RELEASES, um, tts, purchases)


def summary_of(periods, on: date) -> CoverageSummary:
    """What the booking service's columns and the list's SQL give for this history."""
    started = [period.starts_on for period in periods if period.starts_on <= on]
    return CoverageSummary(rules.chains(periods)[-2:], max(started, default=None))


def both(periods, on: date, **fields) -> tuple[rules.Entitlement, rules.Entitlement]:
    system = facts(periods, **fields)
    return (
        rules.entitlement_from_summary(system, summary_of(periods, on), on),
        rules.entitlement_on(system, on),
    )


def p(starts: str, ends: str) -> Period:
    return Period(D(starts), D(ends))


ON = D("2026-11-26")


@pytest.mark.parametrize(
    ("periods", "fields", "status"),
    [
        ([p("2026-06-01", "2027-05-31")], {}, Status.COVERED),
        ([p("2026-01-01", "2026-12-31")], {}, Status.EXPIRING),
        ([p("2026-01-01", "2026-12-31")], {"release": "8.1"}, Status.EXPIRING),  # current
        ([p("2026-01-01", "2026-12-31")], {"release": "7.0"}, Status.EXPIRING),  # unsupported
        ([p("2025-11-10", "2026-11-09")], {}, Status.GRACE),
        ([p("2024-01-01", "2024-12-31")], {}, Status.LAPSED),
        ([], {}, Status.NEVER),
        ([], {"eligible": False}, Status.INELIGIBLE),
        ([p("2026-01-01", "2026-12-31")], {"eligible": False}, Status.INELIGIBLE),  # had XpressCare
        ([p("2026-12-20", "2027-12-19")], {}, Status.PENDING),  # a new purchase starting soon
        # renewed: the current period is not the chain's first; renewals chained ahead
        (
            [
                p("2024-01-01", "2024-12-31"),
                p("2025-01-01", "2025-12-31"),
                p("2026-01-01", "2027-03-31"),
            ],
            {"um": 51, "tts": 2},
            Status.COVERED,
        ),
        (
            [
                p("2025-01-01", "2025-12-31"),
                p("2026-01-01", "2026-12-31"),
                p("2027-01-01", "2027-12-31"),
            ],
            {},
            Status.COVERED,
        ),
        ([p("2025-01-01", "2025-12-31"), p("2026-01-01", "2026-11-20")], {}, Status.GRACE),
        # lapsed, then a paid upgrade started a second chain; a third one before them
        (
            [
                p("2020-01-01", "2020-12-31"),
                p("2022-01-01", "2022-12-31"),
                p("2026-03-01", "2027-02-28"),
            ],
            {},
            Status.COVERED,
        ),
        (
            [
                p("2020-01-01", "2020-12-31"),
                p("2022-01-01", "2022-12-31"),
                p("2023-03-01", "2024-02-29"),
            ],
            {},
            Status.LAPSED,
        ),
    ],
)
def test_a_list_row_has_the_entitlement_of_the_full_rule_in_every_status(periods, fields, status):
    from_summary, full = both(periods, ON, **fields)

    assert full.coverage.status == status
    assert from_summary == full


def test_the_summary_rule_names_the_current_period_of_a_renewed_chain():
    periods = [p("2025-01-01", "2025-12-31"), p("2026-01-01", "2026-12-31")]

    from_summary, _ = both(periods, ON)

    assert from_summary.coverage.starts_on == D("2026-01-01")
    assert from_summary.coverage.ends_on == D("2026-12-31")


@st.composite
def histories(draw) -> list[Period]:
    """Non-overlapping periods, oldest first: some follow each other, some after a gap."""
    starts = draw(st.dates(date(2018, 1, 1), date(2028, 1, 1)))
    periods = []
    for _ in range(draw(st.integers(0, 6))):
        ends = starts + timedelta(days=draw(st.integers(0, 800)))
        periods.append(Period(starts, ends))
        starts = ends + timedelta(days=1 + draw(st.sampled_from([0, 0, 1, 29, 30, 31, 400])))
    return periods


@given(
    histories(),
    st.dates(date(2017, 1, 1), date(2032, 1, 1)),
    st.booleans(),
    st.sampled_from(("7.0", *RELEASES)),
)
def test_the_summary_rule_equals_the_full_rule_on_random_histories(periods, on, eligible, release):
    ahead = [chain for chain in rules.chains(periods) if chain.starts_on > on]
    assume(len(ahead) <= 1)  # the summary's premise; true of every history on its today

    from_summary, full = both(periods, on, eligible=eligible, release=release)

    assert from_summary == full
