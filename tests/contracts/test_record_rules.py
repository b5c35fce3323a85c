"""Rules of what staff record (a system's product, release, reseller; release numbers) and of
money (currency by region, amounts with their currency), without a database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import rules
from contracts.money import format_money
from contracts.rules import SystemRecord
from partnerxpress.core.errors import RuleViolation


def record(product="CallXpress", release_product=None, reseller_id=1, contracts=0):
    return SystemRecord(
        serial_number="CX-IMP-0001",
        product=product,
        release_product=release_product or product,
        reseller_id=reseller_id,
        contracts=contracts,
    )


COVERED = record(contracts=2)


@pytest.mark.parametrize(
    ("before", "after", "refusal"),
    [
        (None, record(), None),
        (None, record(release_product="RightFax"), "release_of_other_product"),
        (record(), record(product="RightFax"), None),  # no contracts yet: a correction
        (COVERED, record(product="Seneca", contracts=2), "product_fixed"),
        (
            COVERED,
            record(product="RightFax", release_product="CallXpress"),
            "release_of_other_product",
        ),
        (COVERED, record(reseller_id=2, contracts=2), "reseller_fixed"),
        (COVERED, record(contracts=2), None),  # a new release of its own product, a rename
    ],
)
def test_a_system_change_is_refused_only_where_coverage_would_break(before, after, refusal):
    if refusal is None:
        rules.check_system_change(before, after)
    else:
        with pytest.raises(RuleViolation) as refused:
            rules.check_system_change(before, after)
        assert refused.value.code == refusal


def test_the_refusal_says_why_on_the_product_field():
    with pytest.raises(RuleViolation) as refused:
        rules.check_system_change(COVERED, record(product="RightFax", contracts=2))
    assert refused.value.field == "product"
    assert refused.value.message.startswith(
        "CX-IMP-0001 has XpressCare contracts as a CallXpress system: its product cannot change."
    )


def test_a_system_with_contracts_is_never_deleted():
    rules.check_system_delete(record())
    with pytest.raises(RuleViolation, match="has 2 XpressCare contract"):
        rules.check_system_delete(COVERED)


def test_a_customer_with_systems_stays_with_its_reseller():
    rules.check_customer_move(name="Globex", systems=0)
    with pytest.raises(RuleViolation, match="Globex has 3 system"):
        rules.check_customer_move(name="Globex", systems=3)


def test_eligibility_is_fixed_once_a_product_has_contracts():
    rules.check_eligibility_change(product="Seneca", contracts=0)
    with pytest.raises(RuleViolation, match="cannot change"):
        rules.check_eligibility_change(product="Seneca", contracts=1)


@pytest.mark.parametrize(
    "version", ["eight-two", "8.", ".8", "8..1", "-1", "8.-1", "8 .1", "", "１", "8.1234567"]
)
def test_a_release_number_is_dotted_whole_numbers(version):
    with pytest.raises(RuleViolation) as refused:
        rules.version_key(version)
    assert refused.value.field == "version"


@given(st.lists(st.integers(min_value=0, max_value=999_998), min_size=1, max_size=4))
def test_every_dotted_number_sorts_in_the_database_as_it_compares(parts):
    version = ".".join(map(str, parts))
    assert rules.version_key(version) == tuple(parts)
    other = ".".join(map(str, [*parts[:-1], parts[-1] + 1]))
    assert rules.version_sort_key(version) < rules.version_sort_key(other)


@pytest.mark.parametrize(("region", "currency"), [("NA", "USD"), ("EMEA", "GBP")])
def test_each_region_has_its_currency(region, currency):
    assert rules.currency_for_region(region) == currency


def test_a_region_without_a_currency_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="APAC"):
        rules.currency_for_region("APAC")


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("1612.00"), "USD", "$1,612.00"),
        (Decimal("1299.60"), "GBP", "£1,299.60"),
        (Decimal("35"), "USD", "$35.00"),
        (Decimal("0.00"), "GBP", "£0.00"),
        (Decimal("1234567.89"), "GBP", "£1,234,567.89"),
        (None, "USD", ""),
    ],
)
def test_amounts_are_shown_with_their_currency_in_its_own_locale(amount, currency, shown):
    assert format_money(amount, currency) == shown
