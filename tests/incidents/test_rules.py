"""The support rules of SPEC §4, without a database: hours, age, rate card, billing, quotes."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.rules import Purchase, PurchaseKind, SystemFacts, entitlement_on
from contracts.rules import ends_on as contract_ends_on
from incidents import rules
from incidents.rules import BusinessHours, CaseKind, Rate
from partnerxpress.core.errors import RuleViolation

D = date.fromisoformat
PACIFIC = ZoneInfo("America/Los_Angeles")
WEEKDAYS = frozenset(range(5))
NA = BusinessHours("America/Los_Angeles", time(5), time(17), WEEKDAYS)
EMEA = BusinessHours("Etc/GMT", time(8), time(17), WEEKDAYS)
# SPEC §4.3, as the migration installs it.
CARD = (
    Rate(0, 2, True, Decimal("150.00"), 60),
    Rate(3, 4, True, Decimal("175.00"), 60),
    Rate(5, None, True, Decimal("210.00"), 60),
    Rate(0, 2, False, Decimal("225.00"), 120),
    Rate(3, 4, False, Decimal("260.00"), 120),
    Rate(5, None, False, Decimal("315.00"), 120),
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def cx(*purchases: Purchase, release="8.0", eligible=True) -> SystemFacts:
    return SystemFacts(
        eligible=eligible,
        release=release,
        product_releases=("7.5", "8.0", "8.1"),
        um_clients=0,
        tts_channels=0,
        purchases=purchases,
    )


def plan(starts: str, term: int = 12) -> Purchase:
    return Purchase(PurchaseKind.PLAN, D(starts), D(starts), contract_ends_on(D(starts), term))


NOT_COVERED = entitlement_on(cx(), D("2026-11-26"))
COVERED = entitlement_on(cx(plan("2026-01-01")), D("2026-11-26"))
COVERED_TOO_OLD = entitlement_on(cx(plan("2026-01-01"), release="7.5"), D("2026-11-26"))
RIGHTFAX = entitlement_on(cx(eligible=False), D("2026-11-26"))


# --- billing: SPEC §4.3 examples --------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "minimum", "billable"),
    [(10, 60, 60), (60, 60, 60), (61, 60, 90), (95, 60, 120), (61, 120, 120), (125, 120, 150)],
)
def test_billable_minutes_examples_of_the_spec(minutes, minimum, billable):
    assert rules.billable_minutes(minutes, minimum) == billable


@pytest.mark.parametrize(
    ("minutes", "minimum", "billable"),
    [(0, 60, 60), (90, 60, 90), (91, 60, 120), (120, 120, 120), (121, 120, 150), (150, 120, 150)],
)
def test_billable_minutes_at_half_hour_edges(minutes, minimum, billable):
    assert rules.billable_minutes(minutes, minimum) == billable


def test_negative_minutes_are_a_programming_error():
    with pytest.raises(ValueError, match="negative"):
        rules.billable_minutes(-1, 60)


@pytest.mark.parametrize(
    ("billable", "rate", "amount"),
    [
        (90, "175.00", "262.50"),
        (60, "150.00", "150.00"),
        (120, "315.00", "630.00"),
        (150, "260.00", "650.00"),
        (90, "175.01", "262.52"),  # 262.515 rounds half up
        (90, "175.03", "262.55"),  # 262.545 rounds half up, not to even
        (30, "0.01", "0.01"),  # 0.005 rounds half up
    ],
)
def test_amount_is_minutes_over_60_times_rate_rounded_half_up_to_cents(billable, rate, amount):
    result = rules.amount(billable, Decimal(rate))
    assert result == Decimal(amount)
    assert str(result) == amount


@given(
    minutes=st.integers(min_value=0, max_value=100_000),
    minimum=st.sampled_from([30, 60, 90, 120, 180]),
)
def test_billable_minutes_are_whole_half_hours_at_least_the_minimum_and_at_most_29_over(
    minutes, minimum
):
    billable = rules.billable_minutes(minutes, minimum)
    assert billable % 30 == 0
    assert billable >= minimum
    assert billable >= minutes
    if minutes > minimum:
        assert billable - minutes <= 29


@given(
    billable=st.integers(min_value=0, max_value=10_000).map(lambda n: n * 30),
    cents=st.integers(min_value=1, max_value=10_000_000),
)
def test_amount_is_within_half_a_cent_of_the_exact_price(billable, cents):
    rate = Decimal(cents) / 100
    exact = Decimal(billable) * rate / 60
    result = rules.amount(billable, rate)
    assert result == result.quantize(Decimal("0.01"))
    assert abs(result - exact) <= Decimal("0.005")


# --- the §6.2 quote example -------------------------------------------------------------------


def test_the_quote_example_of_the_spec():
    quote = rules.quote(
        entitlement=NOT_COVERED,
        installed_on=D("2022-03-15"),
        started_at=utc("2026-11-26T14:30:00Z"),
        minutes=75,
        system_down=False,
        hours=NA,
        card=CARD,
    )
    assert rules.local_datetime(NA, quote.starts_at).time() == time(6, 30)
    assert (quote.billable, quote.reason, quote.business_hours, quote.available) == (
        True,
        None,
        True,
        True,
    )
    assert quote.next_business_hours_start is None
    assert (quote.age_years, quote.hourly_rate, quote.minimum_minutes) == (4, Decimal("175.00"), 60)
    assert (quote.billable_minutes, quote.amount) == (90, Decimal("262.50"))


# --- business hours: boundaries in both regions -----------------------------------------------


@pytest.mark.parametrize(
    ("hours", "instant", "open_"),
    [
        # NA in winter (PST, UTC−8): 05:00–17:00 is 13:00Z–01:00Z
        (NA, "2026-11-26T12:59:59Z", False),
        (NA, "2026-11-26T13:00:00Z", True),  # 05:00 opening inclusive
        (NA, "2026-11-27T00:59:59.999999Z", True),
        (NA, "2026-11-27T01:00:00Z", False),  # 17:00 closing exclusive
        # NA in summer (PDT, UTC−7): 05:00–17:00 is 12:00Z–00:00Z
        (NA, "2026-07-15T11:59:59Z", False),
        (NA, "2026-07-15T12:00:00Z", True),
        (NA, "2026-07-15T23:59:59Z", True),
        (NA, "2026-07-16T00:00:00Z", False),
        # EMEA: GMT all year, no daylight saving
        (EMEA, "2026-11-26T07:59:59Z", False),
        (EMEA, "2026-11-26T08:00:00Z", True),
        (EMEA, "2026-11-26T16:59:59Z", True),
        (EMEA, "2026-11-26T17:00:00Z", False),
        (EMEA, "2026-07-15T08:00:00Z", True),  # 09:00 in London, still 08:00 GMT
        (EMEA, "2026-07-15T07:59:59Z", False),
        (EMEA, "2026-07-15T17:00:00Z", False),
    ],
)
def test_business_hours_open_inclusive_and_close_exclusive(hours, instant, open_):
    assert rules.is_business_hours(hours, utc(instant)) is open_


def test_an_instant_in_any_offset_is_judged_on_the_region_clock():
    tokyo = ZoneInfo("Asia/Tokyo")
    assert rules.is_business_hours(NA, datetime(2026, 11, 26, 22, 0, tzinfo=tokyo))  # 05:00 PST
    assert not rules.is_business_hours(NA, datetime(2026, 11, 26, 21, 59, tzinfo=tokyo))


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        rules.is_business_hours(NA, datetime(2026, 11, 26, 10, 0))


# --- daylight saving: 2026-03-08 and 2026-11-01 in Pacific time ------------------------------


def test_spring_forward_moves_the_na_opening_an_hour_earlier_in_utc():
    # Friday before: 05:00 PST = 13:00Z; Monday after: 05:00 PDT = 12:00Z.
    assert rules.is_business_hours(NA, utc("2026-03-06T13:00:00Z"))
    assert not rules.is_business_hours(NA, utc("2026-03-06T12:59:59Z"))
    assert rules.is_business_hours(NA, utc("2026-03-09T12:00:00Z"))
    assert not rules.is_business_hours(NA, utc("2026-03-09T11:59:59Z"))
    assert rules.next_opening(NA, utc("2026-03-07T12:00:00Z")) == utc("2026-03-09T12:00:00Z")
    # Closing: Friday 17:00 PST = 01:00Z Saturday; Monday 17:00 PDT = 00:00Z Tuesday.
    assert rules.is_business_hours(NA, utc("2026-03-07T00:59:59Z"))
    assert not rules.is_business_hours(NA, utc("2026-03-10T00:00:00Z"))


def test_fall_back_moves_the_na_opening_an_hour_later_in_utc():
    # Friday before: 05:00 PDT = 12:00Z; Monday after: 05:00 PST = 13:00Z.
    assert rules.is_business_hours(NA, utc("2026-10-30T12:00:00Z"))
    assert not rules.is_business_hours(NA, utc("2026-10-31T00:00:00Z"))  # 17:00 PDT
    assert not rules.is_business_hours(NA, utc("2026-11-02T12:59:59Z"))
    assert rules.is_business_hours(NA, utc("2026-11-02T13:00:00Z"))
    assert rules.is_business_hours(NA, utc("2026-11-03T00:59:59Z"))
    assert not rules.is_business_hours(NA, utc("2026-11-03T01:00:00Z"))  # 17:00 PST
    assert rules.next_opening(NA, utc("2026-10-31T12:00:00Z")) == utc("2026-11-02T13:00:00Z")


def test_on_the_change_days_themselves_the_opening_follows_the_local_clock():
    every_day = replace(NA, weekdays=frozenset(range(7)))
    # Sunday 2026-03-08 (23 hours long): 05:00 PDT = 12:00Z.
    assert rules.next_opening(every_day, utc("2026-03-08T08:00:00Z")) == utc("2026-03-08T12:00:00Z")
    # Sunday 2026-11-01 (25 hours long): 05:00 PST = 13:00Z.
    assert rules.next_opening(every_day, utc("2026-11-01T08:00:00Z")) == utc("2026-11-01T13:00:00Z")
    assert not rules.is_business_hours(every_day, utc("2026-11-01T12:30:00Z"))  # 04:30 PST


def test_an_opening_time_that_does_not_exist_on_the_spring_day_opens_at_the_first_real_instant():
    night = replace(NA, opens=time(2, 30), closes=time(17), weekdays=frozenset(range(7)))
    # 02:30 does not exist on 2026-03-08 in Pacific time: the clock jumps from 02:00 to 03:00.
    opening = rules.next_opening(night, utc("2026-03-08T09:00:00Z"))
    assert opening == utc("2026-03-08T10:30:00Z")
    assert opening.astimezone(PACIFIC).time() == time(3, 30)
    assert rules.is_business_hours(night, opening)


# --- weekends and holidays ------------------------------------------------------------------


def test_weekends_are_outside_business_hours_and_open_again_on_monday():
    saturday_10am = utc("2026-11-28T18:00:00Z")
    assert not rules.is_business_hours(NA, saturday_10am)
    assert rules.next_opening(NA, saturday_10am) == utc("2026-11-30T13:00:00Z")
    friday_close = utc("2026-11-27T17:00:00Z")
    assert not rules.is_business_hours(EMEA, friday_close)
    assert rules.next_opening(EMEA, friday_close) == utc("2026-11-30T08:00:00Z")


def test_a_holiday_has_no_business_hours():
    thanksgiving = replace(NA, holidays=frozenset({D("2026-11-26")}))
    assert not rules.is_business_hours(thanksgiving, utc("2026-11-26T14:30:00Z"))
    assert rules.next_opening(thanksgiving, utc("2026-11-26T14:30:00Z")) == utc(
        "2026-11-27T13:00:00Z"
    )
    long_weekend = replace(NA, holidays=frozenset({D("2026-11-26"), D("2026-11-27")}))
    assert rules.next_opening(long_weekend, utc("2026-11-26T14:30:00Z")) == utc(
        "2026-11-30T13:00:00Z"
    )


def test_next_opening_is_today_before_opening_itself_at_opening_and_tomorrow_after():
    assert rules.next_opening(NA, utc("2026-11-26T12:00:00Z")) == utc("2026-11-26T13:00:00Z")
    assert rules.next_opening(NA, utc("2026-11-26T13:00:00Z")) == utc("2026-11-26T13:00:00Z")
    assert rules.next_opening(NA, utc("2026-11-26T13:00:01Z")) == utc("2026-11-27T13:00:00Z")
    # 23:00 PST on Wednesday is already Thursday in UTC: the next opening is Thursday 05:00.
    assert rules.next_opening(NA, utc("2026-11-26T07:00:00Z")) == utc("2026-11-26T13:00:00Z")


def test_next_opening_is_given_on_the_region_clock():
    opening = rules.next_opening(NA, utc("2026-11-28T18:00:00Z"))
    assert opening.tzinfo == PACIFIC
    assert rules.format_local(opening) == "Monday, Nov 30, 2026, 5:00 AM PST"


def test_a_region_with_no_business_day_has_no_opening():
    never = replace(NA, weekdays=frozenset())
    with pytest.raises(RuleViolation, match="No business-hours opening"):
        rules.next_opening(never, utc("2026-11-26T14:30:00Z"))


@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1),
        max_value=datetime(2035, 12, 31),
        timezones=st.just(PACIFIC),
        allow_imaginary=False,
    )
)
def test_the_next_opening_is_in_business_hours_and_nothing_opens_before_it(at):
    opening = rules.next_opening(NA, at).astimezone(UTC)
    at = at.astimezone(UTC)  # compare instants (same-zone comparisons ignore `fold`)
    assert opening >= at
    assert rules.is_business_hours(NA, opening)
    assert rules.local_datetime(NA, opening).time() == NA.opens
    if not rules.is_business_hours(NA, at):
        # an hour before the opening (and after `at`) is still closed
        before = opening - timedelta(hours=1)
        assert before < at or not rules.is_business_hours(NA, before)


# --- age in completed years on the local date -------------------------------------------------


@pytest.mark.parametrize(
    ("installed", "on", "age"),
    [
        ("2022-11-26", "2026-11-25", 3),
        ("2022-11-26", "2026-11-26", 4),  # the anniversary completes the year
        ("2026-11-26", "2026-11-26", 0),
        ("2026-11-27", "2026-11-26", 0),  # installed later than asked: no negative ages
        ("2024-02-29", "2025-02-27", 0),
        ("2024-02-29", "2025-02-28", 1),  # no 29 February: the year completes on the 28th
        ("2024-02-29", "2028-02-28", 3),
        ("2024-02-29", "2028-02-29", 4),
        ("2023-03-01", "2024-02-29", 0),
        ("2023-03-01", "2024-03-01", 1),
    ],
)
def test_age_counts_completed_years(installed, on, age):
    assert rules.age_years(D(installed), D(on)) == age


@pytest.mark.parametrize(
    ("installed", "on", "rate"),
    [
        ("2024-11-26", "2026-11-26", "150.00"),  # 2 years
        ("2023-11-26", "2026-11-25", "150.00"),  # 2 years, the day before the anniversary
        ("2023-11-26", "2026-11-26", "175.00"),  # 3 years on the anniversary
        ("2021-11-26", "2026-11-25", "175.00"),  # 4 years
        ("2021-11-26", "2026-11-26", "210.00"),  # 5 years
        ("2024-02-29", "2027-02-27", "150.00"),  # 2 years
        ("2024-02-29", "2027-02-28", "175.00"),  # 3 years on 28 February
    ],
)
def test_age_bands_change_on_the_installation_anniversary(installed, on, rate):
    age = rules.age_years(D(installed), D(on))
    assert rules.rate_for(CARD, age=age, business_hours=True).hourly_rate == Decimal(rate)


def test_age_is_counted_on_the_local_date_of_the_start():
    # 2026-11-26T07:00Z is 23:00 on the 25th in Pacific time: the system is still 4.
    down = {"entitlement": NOT_COVERED, "installed_on": D("2021-11-26"), "minutes": 60}
    down |= {"system_down": True, "hours": NA, "card": CARD}
    late_evening = rules.quote(started_at=utc("2026-11-26T07:00:00Z"), **down)
    midnight = rules.quote(started_at=utc("2026-11-26T08:00:00Z"), **down)
    assert (late_evening.age_years, late_evening.hourly_rate) == (4, Decimal("260.00"))
    assert (midnight.age_years, midnight.hourly_rate) == (5, Decimal("315.00"))


# --- the rate card ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "business_hours", "rate", "minimum"),
    [
        (0, True, "150.00", 60),
        (2, True, "150.00", 60),
        (3, True, "175.00", 60),
        (4, True, "175.00", 60),
        (5, True, "210.00", 60),
        (40, True, "210.00", 60),
        (0, False, "225.00", 120),
        (4, False, "260.00", 120),
        (5, False, "315.00", 120),
    ],
)
def test_rate_lookup_by_age_band_and_hours(age, business_hours, rate, minimum):
    found = rules.rate_for(CARD, age=age, business_hours=business_hours)
    assert (found.hourly_rate, found.minimum_minutes) == (Decimal(rate), minimum)


def test_an_age_missing_from_the_rate_card_is_refused_with_a_message_for_staff():
    card = [rate for rate in CARD if rate.min_age_years != 5]
    with pytest.raises(RuleViolation, match="no after-hours rate for a system 7 years old"):
        rules.rate_for(card, age=7, business_hours=False)


def test_a_rate_card_row_must_not_overlap_and_its_minimum_is_whole_half_hours():
    with pytest.raises(RuleViolation, match="overlaps the business-hours row for 3–4 years"):
        rules.check_rate(Rate(4, 6, True, Decimal("1"), 60), CARD)
    with pytest.raises(RuleViolation, match="overlaps the business-hours row for 5\\+ years"):
        rules.check_rate(Rate(9, None, True, Decimal("1"), 60), CARD)
    rules.check_rate(Rate(4, 6, True, Decimal("1"), 60), [r for r in CARD if not r.business_hours])
    with pytest.raises(RuleViolation, match="multiple of 30"):
        rules.check_rate(Rate(0, 2, True, Decimal("1"), 45), [])
    with pytest.raises(RuleViolation, match="ends before it starts"):
        rules.check_rate(Rate(3, 2, True, Decimal("1"), 60), [])


# --- which case (SPEC §4.2) -------------------------------------------------------------------


def test_a_covered_system_on_a_supported_release_gets_an_xpresscare_case():
    assert rules.case_kind(COVERED) == CaseKind.XPRESSCARE


def test_a_covered_system_on_a_too_old_release_must_be_upgraded_first():
    with pytest.raises(RuleViolation, match=r"must be upgraded first.*no-charge upgrade to 8\.1"):
        rules.case_kind(COVERED_TOO_OLD)


def test_an_uncovered_callxpress_or_seneca_system_gets_a_per_incident_case():
    assert rules.case_kind(NOT_COVERED) == CaseKind.PER_INCIDENT
    lapsed = entitlement_on(cx(plan("2024-01-01")), D("2026-11-26"))
    assert rules.case_kind(lapsed) == CaseKind.PER_INCIDENT
    old_and_uncovered = entitlement_on(cx(release="7.5"), D("2026-11-26"))
    assert rules.case_kind(old_and_uncovered) == CaseKind.PER_INCIDENT


def test_rightfax_support_is_not_offered():
    with pytest.raises(RuleViolation, match="RightFax support plans must be purchased separately"):
        rules.case_kind(RIGHTFAX)


# --- case terms and the after-hours rule (SPEC §4.3) -----------------------------------------


def terms(entitlement=NOT_COVERED, at="2026-11-26T14:30:00Z", down=False, accept=False):
    return rules.case_terms(
        entitlement=entitlement,
        installed_on=D("2022-03-15"),
        opened_at=utc(at),
        system_down=down,
        accept_next_opening=accept,
        hours=NA,
        card=CARD,
    )


def test_a_per_incident_case_in_business_hours_starts_at_once_at_the_business_hours_rate():
    opened = terms()
    assert (opened.kind, opened.starts_at, opened.business_hours) == (
        CaseKind.PER_INCIDENT,
        utc("2026-11-26T14:30:00Z"),
        True,
    )
    assert (opened.price.age_years, opened.price.rate.hourly_rate) == (4, Decimal("175.00"))
    assert not opened.after_hours_callback


def test_a_system_down_per_incident_case_after_hours_starts_at_once_at_the_after_hours_rate():
    opened = terms(at="2026-11-27T03:00:00Z", down=True)  # 19:00 PST
    assert opened.starts_at == utc("2026-11-27T03:00:00Z")
    assert not opened.business_hours
    assert (opened.price.rate.hourly_rate, opened.price.rate.minimum_minutes) == (
        Decimal("260.00"),
        120,
    )
    assert opened.after_hours_callback


def test_a_normal_per_incident_case_after_hours_is_offered_the_next_opening():
    with pytest.raises(RuleViolation) as refused:
        terms(at="2026-11-27T03:00:00Z")
    assert refused.value.code == "outside_business_hours"
    assert refused.value.field == "accept_next_opening"
    assert "Friday, Nov 27, 2026, 5:00 AM PST" in refused.value.message
    accepted = terms(at="2026-11-27T03:00:00Z", accept=True)
    assert accepted.starts_at == utc("2026-11-27T13:00:00Z")
    assert accepted.business_hours
    assert accepted.price.rate.hourly_rate == Decimal("175.00")
    assert not accepted.after_hours_callback


def test_a_system_down_xpresscare_case_after_hours_gets_the_emergency_call_back():
    opened = terms(COVERED, at="2026-11-28T18:00:00Z", down=True)  # Saturday
    assert (opened.kind, opened.after_hours_callback, opened.price) == (
        CaseKind.XPRESSCARE,
        True,
        None,
    )
    assert opened.starts_at == utc("2026-11-28T18:00:00Z")


def test_a_normal_xpresscare_case_after_hours_waits_for_the_next_opening_without_asking():
    opened = terms(COVERED, at="2026-11-28T18:00:00Z")
    assert (opened.kind, opened.after_hours_callback) == (CaseKind.XPRESSCARE, False)
    assert opened.starts_at == utc("2026-11-30T13:00:00Z")


def test_a_system_down_case_in_business_hours_needs_no_call_back():
    assert not terms(COVERED, down=True).after_hours_callback


def test_a_per_incident_case_needs_the_installation_date():
    with pytest.raises(RuleViolation, match="installation date is not on record"):
        rules.case_terms(
            entitlement=NOT_COVERED,
            installed_on=None,
            opened_at=utc("2026-11-26T14:30:00Z"),
            system_down=False,
            accept_next_opening=False,
            hours=NA,
            card=CARD,
        )


def test_a_case_opens_only_on_the_terms_quoted():
    opened = terms()
    rules.check_quote_holds(rules.QuotedTerms(CaseKind.PER_INCIDENT, Decimal("175.00")), opened)
    with pytest.raises(RuleViolation, match=r"business-hours rate is 175\.00/h"):
        rules.check_quote_holds(rules.QuotedTerms(CaseKind.PER_INCIDENT, Decimal("150.00")), opened)
    with pytest.raises(RuleViolation, match="terms have changed"):
        rules.check_quote_holds(rules.QuotedTerms(CaseKind.XPRESSCARE, None), opened)
    with pytest.raises(RuleViolation, match="included in XpressCare at no charge"):
        rules.check_quote_holds(
            rules.QuotedTerms(CaseKind.PER_INCIDENT, Decimal("175.00")), terms(COVERED)
        )


# --- quotes -----------------------------------------------------------------------------------


def ask(entitlement=NOT_COVERED, at="2026-11-26T14:30:00Z", minutes=75, down=False):
    return rules.quote(
        entitlement=entitlement,
        installed_on=D("2022-03-15"),
        started_at=utc(at),
        minutes=minutes,
        system_down=down,
        hours=NA,
        card=CARD,
    )


def test_a_covered_system_is_not_billable_and_says_why():
    quote = ask(COVERED)
    assert (quote.billable, quote.kind) == (False, CaseKind.XPRESSCARE)
    assert quote.reason == (
        "This system is covered by XpressCare on Nov 26, 2026: support is included at no charge."
    )
    assert (quote.hourly_rate, quote.amount, quote.billable_minutes) == (None, None, None)


def test_a_too_old_covered_system_and_rightfax_are_not_billable():
    assert ask(COVERED_TOO_OLD).billable is False
    assert "upgraded first" in ask(COVERED_TOO_OLD).reason
    assert ask(COVERED_TOO_OLD).kind is None
    assert ask(RIGHTFAX).billable is False
    assert "RightFax" in ask(RIGHTFAX).reason


def test_a_normal_quote_after_hours_is_not_available_and_prices_the_next_opening():
    quote = ask(at="2026-11-27T03:00:00Z", minutes=61)  # Thursday 19:00 PST
    assert (quote.billable, quote.business_hours, quote.available) == (True, False, False)
    assert quote.next_business_hours_start == utc("2026-11-27T13:00:00Z")
    assert (quote.hourly_rate, quote.minimum_minutes, quote.billable_minutes) == (
        Decimal("175.00"),
        60,
        90,
    )


def test_a_system_down_quote_after_hours_is_available_at_the_after_hours_rate():
    quote = ask(at="2026-11-27T03:00:00Z", minutes=125, down=True)
    assert (quote.business_hours, quote.available, quote.next_business_hours_start) == (
        False,
        True,
        None,
    )
    assert (quote.hourly_rate, quote.minimum_minutes, quote.billable_minutes, quote.amount) == (
        Decimal("260.00"),
        120,
        150,
        Decimal("650.00"),
    )


def test_the_bill_uses_the_same_arithmetic_as_the_quote():
    quote = ask(minutes=75)
    bill = rules.bill(minutes_worked=75, hourly_rate=quote.hourly_rate, minimum_minutes=60)
    assert (bill.billable_minutes, bill.amount) == (quote.billable_minutes, quote.amount)


def test_utc_input_and_local_input_give_the_same_quote():
    local = datetime(2026, 11, 26, 6, 30, tzinfo=PACIFIC)
    assert ask(at="2026-11-26T14:30:00Z") == rules.quote(
        entitlement=NOT_COVERED,
        installed_on=D("2022-03-15"),
        started_at=local.astimezone(UTC),
        minutes=75,
        system_down=False,
        hours=NA,
        card=CARD,
    )
