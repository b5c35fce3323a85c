"""Writes of support data: opening cases, entering time, closing cases with their bill."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Sum

from contracts.models import System
from contracts.rules import currency_for_region, entitlement_on
from contracts.selectors import system_facts_load
from incidents import rules
from incidents.models import Case, TimeEntry
from incidents.selectors import business_hours_get, rate_card
from notifications.services import email_enqueue
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.policy import can_open_cases

NOT_CERTIFIED = (
    "Only certified technicians with a current certification may open support cases: ask your "
    "AVST sales representative to record or renew your certification."
)


def _terms_fields(terms: rules.CaseTerms) -> dict:
    """The case's fields that record the terms it was opened on (its price, when billed)."""
    rate = terms.price.rate if terms.price else None
    return {
        "kind": terms.kind.value,
        "starts_at": terms.starts_at,
        "business_hours": terms.business_hours,
        "after_hours_callback": terms.after_hours_callback,
        "age_years": terms.price.age_years if terms.price else None,
        "hourly_rate": rate.hourly_rate if rate else None,
        "minimum_minutes": rate.minimum_minutes if rate else None,
    }


@transaction.atomic
def case_open(
    *,
    user,
    system: System,
    severity: str,
    summary: str,
    contact_phone: str,
    now: datetime,
    description: str = "",
    po_number: str = "",
    accept_next_opening: bool = False,
    quoted: rules.QuotedTerms | None = None,
) -> Case:
    """Open a support case as of `now`, or raise RuleViolation (SPEC §4.2–4.3). When the terms
    changed since the technician was `quoted` (hours closed, coverage ended), nothing opens."""
    hours = business_hours_get(system.reseller.region)
    today = rules.local_date(hours, now)
    if not can_open_cases(user, today):
        raise RuleViolation("not_certified", NOT_CERTIFIED)
    terms = rules.case_terms(
        entitlement=entitlement_on(system_facts_load(system), today),
        installed_on=system.installed_on,
        opened_at=now,
        system_down=severity == Case.Severity.SYSTEM_DOWN,
        accept_next_opening=accept_next_opening,
        hours=hours,
        card=rate_card(),
    )
    if quoted is not None:
        rules.check_quote_holds(quoted, terms)
    case = Case.objects.create(
        reseller=system.reseller,
        system=system,
        opened_by=user,
        severity=severity,
        summary=summary,
        description=description,
        contact_phone=contact_phone,
        po_number=po_number,
        opened_at=now,
        **_terms_fields(terms),
    )
    case_email(case=case, template="case-opened")
    return case


@transaction.atomic
def time_entry_add(*, case: Case, user, worked_on: date, minutes: int, note: str = "") -> TimeEntry:
    """Record time worked on an open case (a closed case's bill is final)."""
    case = _lock(case)
    if not case.is_open:
        raise RuleViolation("case_closed", f"Case {case.number} is closed: its bill is final.")
    if minutes <= 0:
        raise RuleViolation("minutes_not_positive", "Enter the minutes worked.", "minutes")
    return TimeEntry.objects.create(
        case=case, worked_on=worked_on, minutes=minutes, note=note, entered_by=user
    )


@transaction.atomic
def case_close(*, case: Case, user, resolution: str, now: datetime) -> Case:
    """Close a case; a per-incident case gets its bill from the time entered (SPEC §4.3)."""
    case = _lock(case)
    if not case.is_open:
        raise RuleViolation("case_closed", f"Case {case.number} is already closed.")
    minutes = case.time_entries.aggregate(total=Sum("minutes"))["total"] or 0
    case.minutes_worked = minutes
    if case.is_billed:
        bill = rules.bill(
            minutes_worked=minutes,
            hourly_rate=case.hourly_rate,
            minimum_minutes=case.minimum_minutes,
        )
        case.billable_minutes = bill.billable_minutes
        case.amount = bill.amount
    case.status = Case.Status.CLOSED
    case.closed_at = now
    case.closed_by = user
    case.resolution = resolution
    case.save()
    case_email(case=case, template="case-closed")
    return case


def case_email(*, case: Case, template: str) -> None:
    """E-mail the technician who opened the case (once per case and kind of e-mail)."""
    technician = case.opened_by
    if not technician.email:
        return
    email_enqueue(
        key=f"{template}:{case.pk}:{technician.email}",
        to=technician.email,
        template=template,
        context={
            "case": case,
            "technician": technician,
            "zone": case.reseller.region.time_zone,
            "currency": currency_for_region(case.reseller.region.code),
            "time_entries": list(case.time_entries.all()),
        },
        reseller=case.reseller,
    )


def _lock(case: Case) -> Case:
    # Closing and entering time lock the row, so no time slips in after the bill is made.
    cases = Case.objects.select_for_update(of=("self",)).select_related("reseller__region")
    return cases.get(pk=case.pk)
