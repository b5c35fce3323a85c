"""Writes of renewal decisions (SPEC §1.8): recorded for a system's current chain end, or
withdrawn; every decision row is kept, stamped withdrawn, so who and when stay on record."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from contracts import rules
from contracts.models import RenewalDecision, System, User
from contracts.rules import decisions
from contracts.selectors import system_facts_load
from contracts.services.records import reseller_coverage_changed


def _locked_coverage(system: System, today: date | None) -> tuple[System, date, rules.Coverage]:
    """The system's row, locked, its reseller's today (unless given) and its coverage then."""
    system = (
        System.objects.select_for_update()
        .select_related("product", "release", "reseller__region")
        .get(pk=system.pk)
    )
    today = today or system.reseller.region.today(timezone.now())
    return system, today, rules.entitlement_on(system_facts_load(system), today).coverage


@transaction.atomic
def renewal_decision_record(
    *,
    system: System,
    user: User,
    kind: str,
    reason: str = "",
    note: str = "",
    until: date | None = None,
    today: date | None = None,
) -> RenewalDecision:
    """Record "will not renew" or "remind me later" for the system's current chain end, in
    place of the decision standing for it; RuleViolation (nothing recorded) when not allowed.
    """
    system, today, coverage = _locked_coverage(system, today)
    decisions.check_decision(kind, reason=reason, until=until, coverage=coverage, today=today)
    now = timezone.now()
    _decisions_withdraw(system, coverage.ends_on, user, now)
    will_not_renew = kind == decisions.DecisionKind.WILL_NOT_RENEW
    decision = RenewalDecision.objects.create(
        system=system,
        chain_ends_on=coverage.ends_on,
        kind=kind,
        reason=reason if will_not_renew else "",
        until=None if will_not_renew else until,
        note=note.strip()[:2000],
        decided_by=user,
        decided_at=now,
    )
    reseller_coverage_changed([system.reseller_id])  # the home page's figures leave it out
    return decision


@transaction.atomic
def renewal_decision_withdraw(
    *, system: System, user: User, today: date | None = None
) -> RenewalDecision | None:
    """Withdraw the decision that applies today (it is kept, stamped withdrawn); None if none."""
    system, today, coverage = _locked_coverage(system, today)
    applying = [
        decision
        for decision in RenewalDecision.objects.filter(system=system, withdrawn_at__isnull=True)
        if decisions.applies(decision.as_rule, chain_ends_on=coverage.ends_on, on=today)
    ]
    if not applying:
        return None
    _decisions_withdraw(system, coverage.ends_on, user, timezone.now())
    reseller_coverage_changed([system.reseller_id])
    applying[0].refresh_from_db()
    return applying[0]


def _decisions_withdraw(system: System, chain_ends_on: date | None, user: User, now) -> None:
    RenewalDecision.objects.filter(
        system=system, chain_ends_on=chain_ends_on, withdrawn_at__isnull=True
    ).update(withdrawn_at=now, withdrawn_by=user)
