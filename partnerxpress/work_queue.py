"""What waits for staff (issue 15.14): the back office's start page lists it, each with a link
to the filtered list where it is done. Only what the user may see; one query per line."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Q
from django.urls import reverse

from contracts.models import AccessRequest, Letter
from incidents.models import Case
from notifications.models import Email
from renewals.models import DigestRun, Order
from renewals.rules import OrderKind, State

UPGRADES = [OrderKind.UPGRADE.value, OrderKind.NO_CHARGE_UPGRADE.value]


@dataclass(frozen=True)
class Waiting:
    label: str
    count: int
    url: str
    urgent: bool = False  # something failed: someone has to look


# (label, model, condition, changelist query, urgent)
LINES: list[tuple[str, type[Model], Q, str, bool]] = [
    ("Orders to book or reject", Order, Q(state=State.SUBMITTED), "state__exact=submitted", False),
    (
        "Upgrades to ship",
        Order,
        Q(state=State.BOOKED, kind__in=UPGRADES),
        f"state__exact=booked&kind__in={','.join(UPGRADES)}",
        False,
    ),
    (
        "Upgrades shipped, to mark installed",
        Order,
        Q(state=State.SHIPPED),
        "state__exact=shipped",
        False,
    ),
    ("Access requests waiting", AccessRequest, Q(granted_at__isnull=True), "granted=no", False),
    ("Open support cases", Case, Q(status=Case.Status.OPEN), "status__exact=open", False),
    ("E-mails that failed", Email, Q(status=Email.Status.FAILED), "status__exact=failed", True),
    ("Letters that failed", Letter, Q(status=Letter.Status.FAILED), "status__exact=failed", True),
    (
        "Renewal e-mail runs that failed",
        DigestRun,
        Q(status=DigestRun.Status.FAILED),
        "status__exact=failed",
        True,
    ),
]


def work_queue(user) -> list[Waiting]:
    """Each line the user may view, with how many wait."""
    waiting = []
    for label, model, condition, query, urgent in LINES:
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?" + query
        count = model.objects.filter(condition).count()
        waiting.append(Waiting(label, count, url, urgent and count > 0))
    return waiting
