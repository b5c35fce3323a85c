"""Order rules, without a database: offers, names, transitions."""

from datetime import date

import pytest

from contracts import rules as contract_rules
from contracts.rules import PurchaseKind as Purchase
from partnerxpress.core.errors import RuleViolation
from renewals import rules
from renewals.rules import Action, OrderKind, State

D = date.fromisoformat
ON = D("2026-06-15")
RELEASES = ("7.5", "8.0", "8.1")


def entitlement(release="8.0", periods=(), eligible=True):
    purchases = tuple(
        contract_rules.Purchase(Purchase.PLAN, D(start), D(start), D(end)) for start, end in periods
    )
    facts = contract_rules.SystemFacts(eligible, release, RELEASES, 0, 0, purchases)
    return contract_rules.entitlement_on(facts, ON)


@pytest.mark.parametrize(
    "release, periods, eligible, offers",
    [
        (
            "8.0",
            [("2026-01-01", "2026-12-31")],
            True,
            (OrderKind.RENEWAL, OrderKind.NO_CHARGE_UPGRADE),
        ),
        ("8.1", [("2026-01-01", "2026-12-31")], True, (OrderKind.RENEWAL,)),
        ("8.0", [("2025-06-01", "2026-05-31")], True, (OrderKind.RENEWAL,)),  # grace: renew only
        ("7.5", [("2024-01-01", "2024-12-31")], True, (OrderKind.UPGRADE,)),  # lapsed
        ("8.0", [], True, (OrderKind.PLAN,)),  # never covered
        ("8.0", [("2026-07-01", "2027-06-30")], True, (OrderKind.RENEWAL,)),  # pending
        ("8.0", [("2026-01-01", "2026-12-31")], False, ()),  # RightFax
    ],
)
def test_the_order_that_fits_a_system(release, periods, eligible, offers):
    assert rules.order_offers(entitlement(release, periods, eligible)) == offers


COVERED = [("2026-01-01", "2026-12-31")]


@pytest.mark.parametrize(
    "open_orders, offers",
    [
        ([], (OrderKind.RENEWAL, OrderKind.NO_CHARGE_UPGRADE)),
        ([("no_charge_upgrade", "ORD-1", "submitted")], (OrderKind.RENEWAL,)),
        ([("no_charge_upgrade", "ORD-1", "shipped")], (OrderKind.RENEWAL,)),
        (
            [("no_charge_upgrade", "ORD-1", "installed")],
            (OrderKind.RENEWAL, OrderKind.NO_CHARGE_UPGRADE),
        ),
        ([("renewal", "ORD-2", "submitted")], (OrderKind.RENEWAL, OrderKind.NO_CHARGE_UPGRADE)),
    ],
)
def test_an_order_refused_by_check_orderable_is_not_offered(open_orders, offers):
    facts = {"serial": "CX-1", "release": "8.0", "current": "8.1", "on": ON}
    assert (
        rules.order_offers(entitlement("8.0", COVERED), open_orders=open_orders, **facts) == offers
    )


@pytest.mark.parametrize("kind", list(OrderKind))
def test_what_is_offered_passes_check_orderable_and_what_is_refused_is_not_offered(kind):
    for release, periods in [
        ("8.0", COVERED),
        ("7.5", [("2024-01-01", "2024-12-31")]),
        ("8.0", []),
    ]:
        given = entitlement(release, periods)
        facts = {
            "serial": "CX-1",
            "release": release,
            "current": "8.1",
            "on": ON,
            "open_orders": [],
        }
        offered = kind in rules.order_offers(given, **facts)
        assert offered <= rules.is_orderable(kind, given, **facts)


@pytest.mark.parametrize(
    "given, recorded, matches",
    [
        ("Globex", "Globex", True),
        ("  globex ", "Globex", True),
        ("Acme, Inc.", "ACME Inc", True),
        ("Acme  Voice", "Acme Voice", True),
        ("Initech", "Globex", False),
        ("Globex East", "Globex", False),
    ],
)
def test_customer_names_match_whatever_their_case_spacing_and_punctuation(given, recorded, matches):
    assert rules.customer_name_matches(given, recorded) is matches


@pytest.mark.parametrize(
    "kind, state, action, allowed",
    [
        (OrderKind.RENEWAL, State.SUBMITTED, Action.BOOK, True),
        (OrderKind.RENEWAL, State.SUBMITTED, Action.REJECT, True),
        (OrderKind.RENEWAL, State.BOOKED, Action.BOOK, False),
        (OrderKind.RENEWAL, State.REJECTED, Action.BOOK, False),
        (OrderKind.RENEWAL, State.BOOKED, Action.SHIP, False),
        (OrderKind.PLAN, State.BOOKED, Action.SHIP, False),
        (OrderKind.UPGRADE, State.BOOKED, Action.SHIP, True),
        (OrderKind.NO_CHARGE_UPGRADE, State.BOOKED, Action.SHIP, True),
        (OrderKind.NO_CHARGE_UPGRADE, State.SUBMITTED, Action.SHIP, False),
        (OrderKind.NO_CHARGE_UPGRADE, State.SHIPPED, Action.INSTALL, True),
        (OrderKind.NO_CHARGE_UPGRADE, State.BOOKED, Action.INSTALL, False),
        (OrderKind.NO_CHARGE_UPGRADE, State.INSTALLED, Action.INSTALL, False),
    ],
)
def test_how_an_order_moves_on(kind, state, action, allowed):
    if allowed:
        rules.check_action(kind, state, action)
    else:
        with pytest.raises(RuleViolation):
            rules.check_action(kind, state, action)


def test_a_no_charge_upgrade_names_the_current_release():
    covered = entitlement("7.5", [("2026-01-01", "2026-12-31")])
    assert rules.check_no_charge_upgrade(covered, release="7.5", current="8.1", on=ON) == "8.1"


def test_one_open_upgrade_order_per_system():
    rules.check_no_open_order(OrderKind.NO_CHARGE_UPGRADE, "CX-1", [("ORD-1", "installed")])
    rules.check_no_open_order(OrderKind.RENEWAL, "CX-1", [("ORD-1", "submitted")])
    with pytest.raises(RuleViolation, match="already on open order ORD-1"):
        rules.check_no_open_order(OrderKind.NO_CHARGE_UPGRADE, "CX-1", [("ORD-1", "shipped")])


def test_an_order_names_each_system_once():
    with pytest.raises(RuleViolation, match="System CX-1 is on this order twice"):
        rules.check_lines(["CX-1", "CX-2", "CX-1"])
    with pytest.raises(RuleViolation, match="Choose at least one system"):
        rules.check_lines([])
