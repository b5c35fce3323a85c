"""Order rules (SPEC §1.4): co-terming, what may be ordered and how an order moves on.

Pure functions, no ORM, no clock; the coverage rules they build on are contracts.rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from contracts import rules as contract_rules
from contracts.rules import ends_on
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.locales import day_text
from renewals.rules.digest import MAX_RUN_ATTEMPTS as MAX_RUN_ATTEMPTS
from renewals.rules.digest import SECTION_TITLES as SECTION_TITLES
from renewals.rules.digest import DigestCustomer as DigestCustomer
from renewals.rules.digest import DigestSection as DigestSection
from renewals.rules.digest import digest_email_key as digest_email_key
from renewals.rules.digest import digest_email_key_prefix as digest_email_key_prefix
from renewals.rules.digest import digest_month as digest_month
from renewals.rules.digest import digest_sections as digest_sections

COTERM_TERMS = (12, 13, 14, 15)  # the only terms that move an expiration date
Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Coterm:
    """Renewal terms that bring several systems to one common expiration date."""

    ends_on: date
    terms: dict


def coterm(starts: Mapping[Key, date]) -> Coterm | None:
    """The earliest common end date that 12–15-month renewals starting on `starts` reach.

    `starts` maps each system to the first day of its renewal. None when fewer than two systems
    are given or no such date exists (e.g. renewals starting on the 1st and the 15th).
    """
    if len(starts) < 2:
        return None
    reachable = {
        key: {ends_on(start, term): term for term in COTERM_TERMS} for key, start in starts.items()
    }
    common = set.intersection(*(set(ends) for ends in reachable.values()))
    if not common:
        return None
    target = min(common)
    return Coterm(ends_on=target, terms={key: reachable[key][target] for key in starts})


def coterm_suggestion(starts: Mapping[Key, date], *, including: Key | None = None) -> Coterm | None:
    """The co-term suggestion (SPEC §1.4) for a customer's renewable systems; the one policy.

    `starts` maps each system to the first day of its renewal. Every system when one date
    allows it (`coterm`); else the largest group that 12–15-month renewals bring to one date,
    the earliest date on a tie. `including` (one of `starts`) must be in the group: the system
    whose page asks. None when no two systems meet.
    """
    everyone = coterm(starts)
    if everyone is not None:
        return everyone
    reachable = {
        key: {ends_on(start, term) for term in COTERM_TERMS} for key, start in starts.items()
    }
    dates = reachable[including] if including is not None else set().union(*reachable.values())
    meeting = Counter(day for days in reachable.values() for day in days if day in dates)
    target = min(dates, key=lambda day: (-meeting[day], day), default=None)
    if target is None or meeting[target] < 2:
        return None
    return coterm({key: start for key, start in starts.items() if target in reachable[key]})


# ---------------------------------------------------------------------------------------------
# Orders (SPEC §1.4): what may be ordered, and how an order moves from submitted to installed.
# The coverage rules themselves are contracts.rules.book; these are the rules of the order.


class OrderKind(StrEnum):
    RENEWAL = "renewal"
    PLAN = "plan"
    UPGRADE = "upgrade"  # a paid software upgrade, back onto XpressCare
    NO_CHARGE_UPGRADE = "no_charge_upgrade"


KIND_LABELS = {
    OrderKind.RENEWAL: "Renewal",
    OrderKind.PLAN: "XpressCare plan",
    OrderKind.UPGRADE: "Software upgrade",
    OrderKind.NO_CHARGE_UPGRADE: "No-charge upgrade",
}
# The same inside a sentence ("your XpressCare plan order"): the product's name keeps its case.
KIND_NOUNS = {
    OrderKind.RENEWAL: "renewal",
    OrderKind.PLAN: "XpressCare plan",
    OrderKind.UPGRADE: "software upgrade",
    OrderKind.NO_CHARGE_UPGRADE: "no-charge upgrade",
}
# The XpressCare purchase each kind books; a no-charge upgrade books no coverage.
CONTRACT_KINDS = {
    OrderKind.RENEWAL: contract_rules.PurchaseKind.RENEWAL,
    OrderKind.PLAN: contract_rules.PurchaseKind.PLAN,
    OrderKind.UPGRADE: contract_rules.PurchaseKind.UPGRADE,
}
SHIPPED_KINDS = frozenset(
    {OrderKind.UPGRADE, OrderKind.NO_CHARGE_UPGRADE}
)  # software goes on a disc


class State(StrEnum):
    SUBMITTED = "submitted"
    BOOKED = "booked"
    REJECTED = "rejected"
    SHIPPED = "shipped"
    INSTALLED = "installed"


STATE_LABELS = {
    State.SUBMITTED: "Submitted",
    State.BOOKED: "Booked",
    State.REJECTED: "Rejected",
    State.SHIPPED: "Shipped",
    State.INSTALLED: "Installed",
}
# A system may have one open order of these kinds at a time (renewals may be chained ahead).
OPEN_STATES = {
    OrderKind.PLAN: frozenset({State.SUBMITTED}),
    OrderKind.UPGRADE: frozenset({State.SUBMITTED}),
    OrderKind.NO_CHARGE_UPGRADE: frozenset({State.SUBMITTED, State.BOOKED, State.SHIPPED}),
}


def is_open(kind: OrderKind, state: State) -> bool:
    """Still to be booked, or an upgrade not installed yet."""
    return state == State.SUBMITTED or (
        kind in SHIPPED_KINDS and state in (State.BOOKED, State.SHIPPED)
    )


class Action(StrEnum):
    BOOK = "book"
    REJECT = "reject"
    SHIP = "ship"
    INSTALL = "install"


ORDER_MESSAGES = {
    "no_lines": "Choose at least one system.",
    "duplicate_line": "System {serial} is on this order twice.",
    "one_customer": "An order is for the systems of one customer: {customers} are different.",
    "customer_mismatch": (
        "The customer name “{given}” does not match our records for system {serial}."
    ),
    "customer_required": "Enter the customer's name as a check on the serial number.",
    "term_required": "Choose a term for system {serial}.",
    "not_covered_for_upgrade": (
        "This system is not covered by XpressCare on {on}: only covered systems receive "
        "upgrades at no charge. Buy a software upgrade to return to XpressCare."
    ),
    "already_current": "This system already runs the current release ({release}).",
    "open_order": "System {serial} is already on open order {order}.",
}


@dataclass(frozen=True)
class LineRequest:
    """One system of an order as the reseller asks for it."""

    serial_number: str
    term_months: int | None = None
    covers_um_clients: bool = False
    covers_tts: bool = False


def check_lines(serials: Sequence[str]) -> None:
    """An order has at least one system, each once."""
    if not serials:
        raise RuleViolation("no_lines", ORDER_MESSAGES["no_lines"], "lines")
    seen: set[str] = set()
    for serial in serials:
        if serial in seen:
            message = ORDER_MESSAGES["duplicate_line"].format(serial=serial)
            raise RuleViolation("duplicate_line", message, "lines")
        seen.add(serial)


def check_one_customer(customer_names: Iterable[str]) -> None:
    names = sorted(set(customer_names))
    if len(names) > 1:
        message = ORDER_MESSAGES["one_customer"].format(customers=" and ".join(names))
        raise RuleViolation("one_customer", message, "lines")


def customer_name_matches(given: str, recorded: str) -> bool:
    """Names match whatever their case, spacing, full stops or commas: "Acme, Inc." = "acme inc"."""
    return _name_key(given) == _name_key(recorded)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().replace(".", " ").replace(",", " ").split())


def check_customer_name(*, given: str, recorded: str, serial: str, required: bool) -> None:
    """A no-charge upgrade names the customer; any order that names one must name it right."""
    if not given.strip():
        if required:
            raise RuleViolation(
                "customer_required", ORDER_MESSAGES["customer_required"], "customer_name"
            )
        return
    if not customer_name_matches(given, recorded):
        message = ORDER_MESSAGES["customer_mismatch"].format(given=given.strip(), serial=serial)
        raise RuleViolation("customer_mismatch", message, "customer_name")


def check_term_given(kind: OrderKind, term_months: int | None, serial: str) -> None:
    if kind in CONTRACT_KINDS and not term_months:
        message = ORDER_MESSAGES["term_required"].format(serial=serial)
        raise RuleViolation("term_required", message, "term_months")


def check_no_charge_upgrade(
    entitlement: contract_rules.Entitlement, *, release: str, current: str | None, on: date
) -> str:
    """The release a no-charge upgrade brings on `on`, or why the system is not entitled to one."""
    if entitlement.coverage.status == contract_rules.Status.INELIGIBLE:
        raise RuleViolation(
            "ineligible_product", contract_rules.MESSAGES["ineligible_product"], "serial_number"
        )
    if entitlement.upgrade_eligible and entitlement.upgrade_to:
        return entitlement.upgrade_to
    if not entitlement.coverage.covered:
        message = ORDER_MESSAGES["not_covered_for_upgrade"].format(on=day_text(on))
        raise RuleViolation("not_covered_for_upgrade", message, "serial_number")
    message = ORDER_MESSAGES["already_current"].format(release=current or release)
    raise RuleViolation("already_current", message, "serial_number")


def check_no_open_order(
    kind: OrderKind, serial: str, open_orders: Sequence[tuple[str, str]]
) -> None:
    """One open plan or upgrade order per system; `open_orders` are (number, state) of its kind."""
    if kind not in OPEN_STATES:
        return
    for number, state in open_orders:
        if state in OPEN_STATES[kind]:
            message = ORDER_MESSAGES["open_order"].format(serial=serial, order=number)
            raise RuleViolation("open_order", message, "serial_number")


TRANSITIONS = {
    Action.BOOK: {State.SUBMITTED},
    Action.REJECT: {State.SUBMITTED},
    Action.SHIP: {State.BOOKED},
    Action.INSTALL: {State.SHIPPED},
}
ACTION_LABELS = {
    Action.BOOK: "booked",
    Action.REJECT: "rejected",
    Action.SHIP: "shipped",
    Action.INSTALL: "marked installed",
}


def check_action(kind: OrderKind, state: State, action: Action) -> None:
    """Whether the order desk may take `action` on an order of `kind` in `state`."""
    if action in (Action.SHIP, Action.INSTALL) and kind not in SHIPPED_KINDS:
        raise RuleViolation(
            "not_shipped",
            f"{KIND_LABELS[kind]} orders are not shipped: only upgrades are.",
        )
    if state not in TRANSITIONS[action]:
        allowed = " or ".join(STATE_LABELS[s].lower() for s in sorted(TRANSITIONS[action]))
        raise RuleViolation(
            "wrong_state",
            f"This order is {STATE_LABELS[state].lower()}: only a {allowed} order can be "
            f"{ACTION_LABELS[action]}.",
        )


def check_orderable(
    kind: OrderKind,
    entitlement: contract_rules.Entitlement,
    *,
    serial: str,
    release: str,
    current: str | None,
    open_orders: Sequence[tuple[str, str, str]],
    on: date,
) -> str | None:
    """Whether a system may be ordered `kind` on `on`, else RuleViolation: the one check behind
    the one-click offers, the order forms and `order_submit` (which then applies the booking
    rules to the line's term and add-ons). `open_orders` are the system's (kind, number, state).

    Returns the release a no-charge upgrade brings.
    """
    target = None
    if kind == OrderKind.NO_CHARGE_UPGRADE:
        target = check_no_charge_upgrade(entitlement, release=release, current=current, on=on)
    check_no_open_order(
        kind, serial, [(number, state) for of, number, state in open_orders if of == kind]
    )
    return target


def is_orderable(kind: OrderKind, entitlement: contract_rules.Entitlement, **facts) -> bool:
    """`check_orderable` as a predicate (same arguments)."""
    try:
        check_orderable(kind, entitlement, **facts)
    except RuleViolation:
        return False
    return True


def order_offers(entitlement: contract_rules.Entitlement, **facts) -> tuple[OrderKind, ...]:
    """The orders that fit a system on a date, the most useful first (for one-click offers).

    Given `check_orderable`'s facts (serial, release, current, open_orders, on), only those it
    allows: nothing is offered that submitting would refuse.
    """
    if facts:
        offered = order_offers(entitlement)
        return tuple(kind for kind in offered if is_orderable(kind, entitlement, **facts))
    status = entitlement.coverage.status
    offers: list[OrderKind] = []
    if entitlement.upgrade_eligible:
        offers.append(OrderKind.NO_CHARGE_UPGRADE)
    if entitlement.coverage.renewable:
        offers.insert(0, OrderKind.RENEWAL)
    elif status == contract_rules.Status.LAPSED:
        offers.append(OrderKind.UPGRADE)
    elif status == contract_rules.Status.NEVER:
        offers.append(OrderKind.PLAN)
    return tuple(offers)
