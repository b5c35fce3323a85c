"""The co-term suggestion of SPEC §1.4."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from contracts.rules import ends_on
from renewals.rules import COTERM_TERMS, coterm, coterm_suggestion

D = date.fromisoformat


def test_systems_three_months_apart_meet_on_the_later_anniversary():
    suggestion = coterm({"A": D("2027-01-01"), "B": D("2027-04-01")})
    assert suggestion.ends_on == D("2028-03-31")
    assert suggestion.terms == {"A": 15, "B": 12}


def test_the_earliest_common_date_is_suggested():
    suggestion = coterm({"A": D("2027-01-01"), "B": D("2027-03-01")})
    assert suggestion.ends_on == D("2028-02-29")
    assert suggestion.terms == {"A": 14, "B": 12}


def test_no_suggestion_when_days_of_the_month_differ():
    assert coterm({"A": D("2027-01-01"), "B": D("2027-01-15")}) is None


def test_no_suggestion_when_more_than_three_months_apart():
    assert coterm({"A": D("2027-01-01"), "B": D("2027-06-01")}) is None


def test_no_suggestion_for_a_single_system():
    assert coterm({"A": D("2027-01-01")}) is None


@given(st.lists(st.dates(date(2020, 1, 1), date(2040, 1, 1)), min_size=2, max_size=5))
def test_a_suggestion_always_ends_every_system_on_its_date(starts):
    suggestion = coterm(dict(enumerate(starts)))
    if suggestion is None:
        return
    for key, start in enumerate(starts):
        assert suggestion.terms[key] in COTERM_TERMS
        assert ends_on(start, suggestion.terms[key]) == suggestion.ends_on


@given(st.integers(2020, 2040), st.integers(1, 12), st.integers(1, 28), st.integers(0, 3))
def test_starts_on_one_day_of_the_month_up_to_3_months_apart_always_meet(year, month, day, apart):
    from dateutil.relativedelta import relativedelta

    first = date(year, month, day)
    suggestion = coterm({"A": first, "B": first + relativedelta(months=apart)})
    assert suggestion is not None
    assert suggestion.terms == {"A": 12 + apart, "B": 12}


def test_the_suggestion_is_everyone_when_all_can_meet():
    starts = {"A": D("2027-01-01"), "B": D("2027-03-01"), "C": D("2027-02-01")}
    assert coterm_suggestion(starts) == coterm(starts)


def test_the_largest_group_is_suggested_when_not_all_can_meet():
    starts = {"A": D("2027-01-01"), "B": D("2027-03-01"), "C": D("2027-01-15")}
    suggestion = coterm_suggestion(starts)
    assert suggestion.terms == {"A": 14, "B": 12}
    assert suggestion.ends_on == D("2028-02-29")


def test_the_system_that_asks_is_kept_in_the_group():
    starts = {"A": D("2027-01-01"), "B": D("2027-03-01"), "C": D("2027-01-15")}
    assert coterm_suggestion(starts, including="C") is None  # C meets nobody
    assert coterm_suggestion(starts, including="B").terms == {"A": 14, "B": 12}


def test_no_suggestion_when_no_two_systems_meet():
    assert coterm_suggestion({"A": D("2027-01-01"), "B": D("2027-01-15")}) is None
    assert coterm_suggestion({}) is None


@given(
    st.dictionaries(
        st.sampled_from("ABCDEF"), st.dates(date(2024, 1, 1), date(2027, 12, 31)), max_size=6
    ),
    st.sampled_from("ABCDEF"),
)
def test_the_suggestion_is_a_largest_group_and_keeps_who_asks(starts, asker):
    including = asker if asker in starts else None
    suggestion = coterm_suggestion(starts, including=including)
    reach = {key: {ends_on(start, term) for term in COTERM_TERMS} for key, start in starts.items()}
    candidates = reach[including] if including else set().union(*reach.values())
    largest = max((sum(day in days for days in reach.values()) for day in candidates), default=0)
    if largest < 2:
        assert suggestion is None
        return
    assert len(suggestion.terms) == largest
    assert including is None or including in suggestion.terms
    for key, term in suggestion.terms.items():
        assert ends_on(starts[key], term) == suggestion.ends_on
