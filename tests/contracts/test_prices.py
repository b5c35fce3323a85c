"""The price rule of SPEC §1.7, without a database: the worked examples and the rounding."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.rules import PurchaseKind
from contracts.rules.prices import (
    PriceList,
    check_prices,
    check_reseller_discount,
    line_price,
    round2,
)
from partnerxpress.core.errors import RuleViolation

D = Decimal
TERM_DISCOUNTS = {24: D(5), 36: D(10)}
USD = {
    "CallXpress": PriceList("USD", D("1200.00"), D("6.00"), D("150.00"), D("2500.00")),
    "Seneca": PriceList("USD", D("950.00"), D("6.00"), D("150.00"), D("1900.00")),
}
GBP = {
    "CallXpress": PriceList("GBP", D("960.00"), D("4.80"), D("120.00"), D("2000.00")),
    "Seneca": PriceList("GBP", D("760.00"), D("4.80"), D("120.00"), D("1520.00")),
}


def price(prices, kind="renewal", term=12, um=0, tts=0, covers_um=False, covers_tts=False, off=0):
    return line_price(
        prices,
        kind=PurchaseKind(kind),
        term_months=term,
        um_clients=um,
        tts_channels=tts,
        covers_um_clients=covers_um,
        covers_tts=covers_tts,
        term_discounts=TERM_DISCOUNTS,
        reseller_discount=D(off),
    )


@pytest.mark.parametrize(
    "prices, kind, term, add_ons, reseller_discount, list_price, net_price",
    [
        # the examples of SPEC §1.7
        (USD["CallXpress"], "renewal", 12, {}, 0, "1200.00", "1200.00"),
        (
            USD["CallXpress"],
            "renewal",
            13,
            {"um": 60, "tts": 2, "covers_um": True, "covers_tts": True},
            20,
            "2015.00",
            "1612.00",
        ),
        (USD["Seneca"], "renewal", 13, {}, 0, "1029.17", "1029.17"),
        (GBP["Seneca"], "renewal", 24, {}, 10, "1520.00", "1299.60"),
        (USD["CallXpress"], "upgrade", 24, {}, 0, "3700.00", "3515.00"),
        # and around them
        (USD["CallXpress"], "plan", 36, {}, 0, "3600.00", "3240.00"),
        (USD["CallXpress"], "upgrade", 12, {"um": 80, "covers_um": True}, 0, "2500.00", "2500.00"),
        (USD["CallXpress"], "renewal", 12, {"um": 80, "covers_um": False}, 0, "1200.00", "1200.00"),
        (GBP["CallXpress"], "renewal", 15, {"tts": 1, "covers_tts": True}, 50, "1350.00", "675.00"),
    ],
)
def test_a_line_is_priced_as_the_spec_says(
    prices, kind, term, add_ons, reseller_discount, list_price, net_price
):
    line = price(prices, kind, term, off=reseller_discount, **add_ons)
    assert (line.list_price, line.net_price) == (D(list_price), D(net_price))
    assert line.currency == prices.currency


def test_halves_round_up_not_to_even():
    assert round2(D("0.125")) == D("0.13")
    assert round2(D("0.135")) == D("0.14")
    assert round2(D("2.675")) == D("2.68")


def test_a_new_purchase_has_no_price():
    with pytest.raises(ValueError):
        price(USD["CallXpress"], "new_purchase")


def test_bad_prices_and_discounts_are_refused_with_a_message():
    with pytest.raises(RuleViolation, match="cannot be negative"):
        check_prices(PriceList("USD", D("-1"), D(0), D(0), D(0)))
    for percent in (D("-0.01"), D("50.01")):
        with pytest.raises(RuleViolation, match="between 0 and 50"):
            check_reseller_discount(percent)
    check_reseller_discount(D(50))


cents = st.decimals(min_value=0, max_value=100_000, places=2)
percent = st.decimals(min_value=0, max_value=50, places=2)


@given(
    st.builds(PriceList, st.just("USD"), cents, cents, cents, cents),
    st.sampled_from(["renewal", "plan", "upgrade"]),
    st.sampled_from([12, 13, 14, 15, 24, 36]),
    st.integers(0, 500),
    st.integers(0, 96),
    st.booleans(),
    st.booleans(),
    percent,
)
def test_prices_are_exact_cents_rounded_half_up(prices, kind, term, um, tts, cu, ct, off):
    line = price(prices, kind, term, um, tts, cu, ct, off)
    for amount in (line.list_price, line.net_price):
        assert isinstance(amount, Decimal) and amount.as_tuple().exponent == -2
    # the net price is the exact product rounded half up: within half a cent, and a tie goes up
    exact = (
        Fraction(line.list_price)
        * (100 - Fraction(line.term_discount))
        / 100
        * (100 - Fraction(off))
        / 100
    )
    assert abs(Fraction(line.net_price) - exact) <= Fraction(1, 200)
    if (exact * 200).denominator == 1 and (exact * 200) % 2 == 1:
        assert Fraction(line.net_price) > exact
    assert line.net_price <= line.list_price
