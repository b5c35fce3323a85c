"""Demo support cases for `manage.py seed_demo`: one closed with its time and bill, one open."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from contracts import rules as contract_rules
from contracts.coverage_sql import systems_with_status
from contracts.models import System, User
from incidents.models import Case
from incidents.services import case_close, case_open, time_entry_add
from partnerxpress.core.errors import RuleViolation

CASES = [
    # (status of the system, severity, summary, closed after minutes worked or None)
    ("lapsed", Case.Severity.SYSTEM_DOWN, "Auto attendant does not answer any call", 75),
    ("covered", Case.Severity.NORMAL, "Voicemail to e-mail stopped after a mail server move", 40),
    (
        "expiring",
        Case.Severity.NORMAL,
        "Message waiting lamps stay on after messages are read",
        None,
    ),
]


def seed_cases(technician: User, staff: User) -> None:
    if Case.objects.filter(reseller=technician.reseller).exists():
        return
    now = timezone.now()
    today = technician.reseller.region.today(now)
    systems = System.objects.filter(reseller=technician.reseller, installed_on__isnull=False)
    for status, severity, summary, minutes in CASES:
        candidates = systems_with_status(systems, contract_rules.Status(status), today)
        for system in candidates.select_related("reseller__region", "product", "release")[:5]:
            try:
                case = case_open(
                    user=technician,
                    system=system,
                    severity=severity,
                    summary=summary,
                    contact_phone="+1 206 555 0142",
                    # a closed case was opened earlier: it closes now, never in the future
                    now=now - timedelta(minutes=minutes + 60) if minutes else now,
                    po_number=f"PO-{system.serial_number}",
                    accept_next_opening=True,
                )
            except RuleViolation:
                continue  # e.g. a release too old for support: try the next system
            if minutes:
                time_entry_add(
                    case=case, user=staff, worked_on=today, minutes=minutes, note="Remote session"
                )
                case_close(
                    case=case,
                    user=staff,
                    resolution="Fixed remotely; the customer confirmed it works.",
                    now=now,
                )
            break
