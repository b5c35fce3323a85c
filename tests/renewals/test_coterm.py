"""The co-term suggestion of SPEC §1.4."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from contracts.rules import ends_on
from renewals.rules import COTERM_TERMS, coterm

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
