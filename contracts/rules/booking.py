"""Booking an XpressCare purchase (SPEC §1.3): start dates, the renewal window, add-ons,
terms and overlaps. Pure functions, no ORM, no clock; read as `contracts.rules.<name>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from contracts.rules.coverage import (
    MESSAGES,
    NEW_PURCHASE_DELAY_DAYS,
    RENEWAL_TERMS,
    TERMS,
    UM_CLIENTS_INCLUDED,
    Period,
    PurchaseKind,
    SystemFacts,
    a_kind,
    anchor_chain,
    chains,
    ends_on,
    renew_by,
    requires_tts_coverage,
    requires_um_coverage,
)
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.locales import day_text


@dataclass(frozen=True)
class Booking:
    """An XpressCare purchase to book for one system."""

    kind: PurchaseKind
    booked_on: date
    term_months: int
    covers_um_clients: bool
    covers_tts: bool


def check_eligible(system: SystemFacts) -> None:
    if not system.eligible:
        raise RuleViolation("ineligible_product", MESSAGES["ineligible_product"], "serial_number")


def check_add_ons(system: SystemFacts, *, covers_um_clients: bool, covers_tts: bool) -> None:
    """Refuse a purchase that leaves out an add-on the system requires."""
    if requires_um_coverage(system.um_clients) and not covers_um_clients:
        raise RuleViolation(
            "um_coverage_required",
            f"XpressCare for UM clients is required: this system has {system.um_clients} "
            f"unified-messaging clients (more than {UM_CLIENTS_INCLUDED}).",
            "covers_um_clients",
        )
    if requires_tts_coverage(system.tts_channels) and not covers_tts:
        raise RuleViolation(
            "tts_coverage_required",
            f"XpressCare for text-to-speech is required: this system has {system.tts_channels} "
            "text-to-speech channel" + ("s." if system.tts_channels != 1 else "."),
            "covers_tts",
        )


def check_term(kind: PurchaseKind, term_months: int) -> None:
    allowed = TERMS[kind]
    if term_months not in allowed:
        terms = ", ".join(str(term) for term in allowed[:-1]) + f" or {allowed[-1]}"
        raise RuleViolation(
            "invalid_term",
            f"{a_kind(kind)} is sold for {terms} months, not {term_months}.",
            "term_months",
        )


def renewal_start(system: SystemFacts, on: date) -> date:
    """First day of a renewal booked on `on`, or the reason it cannot be booked."""
    chain = anchor_chain(chains(system.periods), on)
    if chain is None:
        raise RuleViolation("nothing_to_renew", MESSAGES["nothing_to_renew"], "serial_number")
    if on > renew_by(chain.ends_on):
        raise RuleViolation("renewal_too_late", MESSAGES["renewal_too_late"], "serial_number")
    return chain.ends_on + timedelta(days=1)


def start_date(system: SystemFacts, kind: PurchaseKind, booked_on: date) -> date:
    """First covered day of a purchase of `kind` booked on `booked_on`, or why it is refused."""
    ever_covered = bool(system.purchases)
    if kind == PurchaseKind.RENEWAL:
        return renewal_start(system, booked_on)
    if kind == PurchaseKind.PLAN and ever_covered:
        raise RuleViolation("plan_after_coverage", MESSAGES["plan_after_coverage"], "kind")
    if kind == PurchaseKind.NEW_PURCHASE:
        if ever_covered:
            raise RuleViolation(
                "new_purchase_after_coverage", MESSAGES["new_purchase_after_coverage"], "kind"
            )
        return booked_on + timedelta(days=NEW_PURCHASE_DELAY_DAYS)
    if kind == PurchaseKind.UPGRADE and any(
        period.contains(booked_on) for period in system.periods
    ):
        message = MESSAGES["upgrade_while_covered"].format(on=day_text(booked_on))
        raise RuleViolation("upgrade_while_covered", message, "kind")
    return booked_on


def check_no_overlap(system: SystemFacts, new: Period) -> None:
    for period in system.periods:
        if period.overlaps(new):
            raise RuleViolation(
                "overlap",
                f"This coverage ({new.starts_on} to {new.ends_on}) would overlap existing "
                f"coverage ({period.starts_on} to {period.ends_on}).",
            )


def check_not_booked_twice(system: SystemFacts, booking: Booking) -> None:
    for purchase in system.purchases:
        if purchase.kind == booking.kind and purchase.booked_on == booking.booked_on:
            raise RuleViolation(
                "already_booked",
                f"{a_kind(booking.kind)} for this system is already booked on {booking.booked_on}.",
            )


def book(system: SystemFacts, booking: Booking) -> Period:
    """The period a purchase covers if every rule of SPEC §1.3 allows it; else RuleViolation."""
    check_eligible(system)
    check_term(booking.kind, booking.term_months)
    check_add_ons(
        system, covers_um_clients=booking.covers_um_clients, covers_tts=booking.covers_tts
    )
    check_not_booked_twice(system, booking)
    starts = start_date(system, booking.kind, booking.booked_on)
    period = Period(starts, ends_on(starts, booking.term_months))
    check_no_overlap(system, period)
    return period


@dataclass(frozen=True)
class RenewalOption:
    term_months: int
    starts_on: date
    ends_on: date


def renewal_options(system: SystemFacts, on: date) -> tuple[RenewalOption, ...]:
    """Every renewal term a reseller may book on `on`, with its dates; RuleViolation if none."""
    check_eligible(system)
    starts = renewal_start(system, on)
    options = []
    for term in RENEWAL_TERMS:
        period = Period(starts, ends_on(starts, term))
        check_no_overlap(system, period)
        options.append(RenewalOption(term, period.starts_on, period.ends_on))
    return tuple(options)
