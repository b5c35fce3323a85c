"""The monthly renewal e-mail (SPEC §5): decide what is due, compose once, record the outcome.

Exactly once per representative per month, in layers:
- beat fires `digest_schedule` every hour (UTC); it finds, in each region's zone, the resellers
  whose month has no finished run and queues them, so a beat that was down catches up;
- `digest_send` locks the reseller's run row for the month and, in the same transaction, writes
  one outbox row per representative with the key digest:<account>:<YYYY-MM>:<user id>; a worker
  that dies mid-way rolls everything back and the next tick does it again, a second worker waits
  for the lock and finds the month done;
- the outbox claims each row before sending and retries SMTP failures with backoff.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from contracts.models import Region, Reseller, User
from notifications.models import Email
from notifications.services import email_enqueue, email_send, text_render
from partnerxpress.core.locales import in_region
from renewals import rules
from renewals.due import DueSystem, renewal_due_list
from renewals.models import DigestRun

log = logging.getLogger(__name__)
TEMPLATE = "renewal-digest"


def digest_queue(reseller_id: int, on: date) -> None:
    from renewals.tasks import digest_send_task

    digest_send_task.delay(reseller_id, on.isoformat())


def digest_schedule(*, now: datetime) -> int:
    """Queue, after commit, each reseller whose digest for its current month is not done yet.

    "Current month" is the reseller's region's: the digest is due from the 1st in that zone.
    A run row is recorded for every reseller (inactive ones too, so staff see why they were
    skipped); returns how many runs were queued.
    """
    queued = 0
    for region in Region.objects.all():
        on = region.today(now)
        month = rules.digest_month(on)
        missing = Reseller.objects.filter(region=region).exclude(digest_runs__month=month)
        DigestRun.objects.bulk_create(
            [
                DigestRun(
                    reseller_id=reseller_id,
                    month=month,
                    email_key_prefix=rules.digest_email_key_prefix(account, month),
                )
                for reseller_id, account in missing.values_list("pk", "account_number")
            ],
            ignore_conflicts=True,
        )
        to_run = DigestRun.objects.filter(reseller__region=region, month=month).filter(
            Q(status=DigestRun.Status.PENDING)
            | Q(status=DigestRun.Status.FAILED, attempts__lt=rules.MAX_RUN_ATTEMPTS)
        )
        for reseller_id in to_run.values_list("reseller_id", flat=True):
            transaction.on_commit(lambda r=reseller_id, d=on: digest_queue(r, d))
            queued += 1
    return queued


def digest_representatives(reseller: Reseller) -> list[User]:
    """Active support-contract representatives of a reseller who have an e-mail address."""
    return list(
        User.objects.filter(reseller=reseller, is_contract_representative=True, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def digest_shared(reseller: Reseller, on: date, rows: list[DueSystem], decided: int = 0) -> dict:
    """What every representative's e-mail holds; the tables are rendered here, once.

    `decided`: systems left out because a renewal decision applies (the e-mail says so).
    """
    counts = Counter(row.section for row in rows)
    shared = {
        "reseller": reseller,
        "on": on,
        "month": rules.digest_month(on),
        "sections": rules.digest_sections(rows),
        "expired": counts["expired"],
        "due": counts["due"],
        "count": len(rows),
        "customers": len({row.customer_id for row in rows}),
        "decided": decided,
        "portal_url": settings.PORTAL_URL,
    }
    with in_region(reseller.region):
        shared["sections_text"] = text_render("emails/_renewal-digest-sections.txt", shared)
        shared["sections_html"] = render_to_string("emails/_renewal-digest-sections.html", shared)
    return shared


def digest_context(shared: dict, user: User | None) -> dict:
    """The e-mail templates' context for one representative (also used by the preview)."""
    name = (user.first_name or user.get_full_name() or user.username) if user else ""
    return {**shared, "name": name}


def digest_send(*, reseller_id: int, on: date, force: bool = False) -> tuple[DigestRun, bool]:
    """Record the month's renewal e-mail for each representative of a reseller, once.

    Returns the month's run and whether this call composed it (False: done before).
    Skipped (and why) when the reseller is inactive, has nothing to list or no representative.
    `force` (admin "send now") composes again even when the month is done: representatives
    who already had this month's e-mail do not get it twice; new ones get it.
    """
    reseller = Reseller.objects.select_related("region").get(pk=reseller_id)
    month = rules.digest_month(on)
    prefix = rules.digest_email_key_prefix(reseller.account_number, month)
    run, _ = DigestRun.objects.get_or_create(
        reseller=reseller, month=month, defaults={"email_key_prefix": prefix}
    )
    composed = False
    try:
        with transaction.atomic():
            # Held until commit: a second worker waits here, then sees the month done.
            run = DigestRun.objects.select_for_update().get(pk=run.pk)
            retry = run.status == DigestRun.Status.FAILED and run.attempts < rules.MAX_RUN_ATTEMPTS
            if run.status == DigestRun.Status.PENDING or retry or force:
                _digest_compose(run, reseller, on)
                composed = True
    except Exception as error:
        DigestRun.objects.filter(pk=run.pk).update(
            status=DigestRun.Status.FAILED,
            attempts=F("attempts") + 1,
            reason=f"Could not compose the e-mail: {type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        log.exception("renewal digest of %s for %s failed", reseller.account_number, on)
        raise
    return run, composed


@dataclass(frozen=True)
class DigestOutcome:
    """What composing one reseller's renewal e-mail came to."""

    reseller: Reseller
    run: DigestRun | None  # None when composing failed
    composed: bool  # False: the month was done before, nothing new was recorded
    error: str = ""


def digest_send_all(*, on: date | None, account_number: str | None = None) -> list[DigestOutcome]:
    """Each reseller's renewal e-mail for `on` (default: its today), by the same `digest_send`
    the beat job's tasks call; its outcome per reseller (the command sends them after)."""
    resellers = Reseller.objects.select_related("region").order_by("account_number")
    if account_number:
        resellers = resellers.filter(account_number=account_number)
    now = timezone.now()
    outcomes = []
    for reseller in resellers:
        try:
            run, composed = digest_send(
                reseller_id=reseller.pk, on=on or reseller.region.today(now)
            )
        except Exception as error:
            outcomes.append(DigestOutcome(reseller, None, False, str(error)))
        else:
            outcomes.append(DigestOutcome(reseller, run, composed))
    return outcomes


def digest_emails_send(runs: list[DigestRun]) -> tuple[int, int]:
    """Send the runs' waiting e-mails in this process; (sent, failed). Failures stay queued.

    One SMTP session serves the whole batch; after a failure the next e-mail opens a new one.
    """
    if not runs:
        return 0, 0
    condition = Q()
    for run in runs:
        condition |= Q(key__startswith=run.email_key_prefix)
    waiting = Email.objects.filter(condition, kind=TEMPLATE, status=Email.Status.PENDING)
    sent = failed = 0
    connection = get_connection()
    try:
        for email_id in waiting.order_by("pk").values_list("pk", flat=True):
            try:
                email_send(email_id, connection=connection)
            except Exception:
                failed += 1  # recorded on the row; the worker's retry or the sweep sends it later
                connection.close()
            else:
                sent += 1
    finally:
        connection.close()
    return sent, failed


@dataclass(frozen=True)
class DigestPlan:
    """What a reseller's renewal e-mail for a date would do: who gets it, or why nobody does.

    Admin shows it before "send now"; composing does exactly this.
    """

    reseller: Reseller
    on: date
    rows: list[DueSystem]
    decided: int  # left out of the rows by a renewal decision
    representatives: list[User]
    already: frozenset[int]  # representatives who had this month's e-mail
    skip: str  # why nobody is e-mailed, or ""

    @property
    def new(self) -> list[User]:
        return [user for user in self.representatives if user.pk not in self.already]


def digest_plan(reseller: Reseller, on: date) -> DigestPlan:
    """The rows for `on`, the representatives and who of them had the month's e-mail already."""
    due = renewal_due_list(reseller, on)
    rows = due.rows
    representatives = digest_representatives(reseller)
    month = rules.digest_month(on)
    keys = {
        rules.digest_email_key(reseller.account_number, month, user.pk): user.pk
        for user in representatives
    }
    sent = Email.objects.filter(key__in=keys).values_list("key", flat=True)
    skip = ""
    if not reseller.is_active:
        skip = "The reseller is inactive."
    elif not representatives:
        skip = "No support-contract representative with an e-mail address."
        if rows:
            skip += f" {len(rows)} system(s) would have been listed."
    elif not rows:
        skip = f"Nothing to list on {on:%Y-%m-%d}: nothing expired recently or is due."
        if due.decided:
            skip += f" {due.decided} system(s) left out by a renewal decision."
    already = frozenset(keys[key] for key in sent)
    return DigestPlan(reseller, on, rows, due.decided, representatives, already, skip)


def _digest_compose(run: DigestRun, reseller: Reseller, on: date) -> None:
    plan = digest_plan(reseller, on)
    counts = Counter(row.section for row in plan.rows)
    run.on, run.expired, run.due = on, counts["expired"], counts["due"]
    run.attempts += 1
    run.finished_at = timezone.now()
    run.recipients = len(plan.representatives)
    went_out = run.status in (DigestRun.Status.QUEUED, DigestRun.Status.SENT)
    if plan.skip and not went_out:
        run.status, run.reason = DigestRun.Status.SKIPPED, plan.skip
    elif plan.skip or not plan.new:
        # Sent again ("send now") with nobody new: the month's outcome stays what it was.
        why = plan.skip or (
            f"all {len(plan.representatives)} representative(s) had this month's e-mail already."
        )
        run.reason = f"Nothing sent again on {on:%Y-%m-%d}: {why}"
    else:
        new = _digest_enqueue(run, plan)
        run.status = DigestRun.Status.QUEUED
        run.reason = f"{len(plan.rows)} system(s) listed; e-mailed to {new} representative(s)."
        if plan.already:
            run.reason += f" {len(plan.already)} had this month's e-mail already."
    run.save()


def _digest_enqueue(run: DigestRun, plan: DigestPlan) -> int:
    """One outbox e-mail per representative who has not had the month's; how many new."""
    shared = digest_shared(plan.reseller, plan.on, plan.rows, plan.decided)
    new = 0
    for user in plan.new:
        email = email_enqueue(
            key=rules.digest_email_key(plan.reseller.account_number, run.month, user.pk),
            to=user.email,
            template=TEMPLATE,
            context=digest_context(shared, user),
            reseller=plan.reseller,
        )
        new += email is not None
    return new


@dataclass
class Delivery:
    """How a run's e-mails stand in the outbox."""

    counts: Counter = field(default_factory=Counter)  # by Email.Status
    last_error: str = ""

    @property
    def waiting(self) -> int:
        return self.counts[Email.Status.PENDING] + self.counts[Email.Status.SENDING]

    def __str__(self) -> str:
        parts = [f"{count} {Email.Status(status).label}" for status, count in self.counts.items()]
        return ", ".join(parts) + (f" (last error: {self.last_error})" if self.last_error else "")


def digest_delivery(runs: list[DigestRun]) -> dict[int, Delivery]:
    """Each run's e-mails in the outbox, found by their key prefix; one query."""
    if not runs:
        return {}
    by_prefix = {run.email_key_prefix: run.pk for run in runs}
    condition = Q()
    for prefix in by_prefix:
        condition |= Q(key__startswith=prefix)
    delivery: dict[int, Delivery] = defaultdict(Delivery)
    emails = Email.objects.filter(condition, kind=TEMPLATE).values_list(
        "key", "status", "last_error"
    )
    for key, status, error in emails:
        run_delivery = delivery[by_prefix[key.rsplit(":", 1)[0] + ":"]]
        run_delivery.counts[status] += 1
        run_delivery.last_error = error or run_delivery.last_error
    return delivery


def digest_runs_settle() -> int:
    """Mark queued runs sent once all their e-mails left, or failed when one was given up."""
    runs = list(DigestRun.objects.filter(status=DigestRun.Status.QUEUED)[:5000])
    delivery = digest_delivery(runs)
    settled = 0
    for run in runs:
        outcome = delivery.get(run.pk)
        if outcome is None or outcome.waiting:
            continue
        status, reason = DigestRun.Status.SENT, run.reason
        failed = outcome.counts[Email.Status.FAILED]
        if failed:
            status = DigestRun.Status.FAILED
            reason = f"{failed} e-mail(s) could not be delivered: {outcome.last_error}"[:2000]
            # Composing again would not help (the outbox keys exist): staff resend from Emails.
            run.attempts = rules.MAX_RUN_ATTEMPTS
        settled += DigestRun.objects.filter(pk=run.pk, status=DigestRun.Status.QUEUED).update(
            status=status, reason=reason, attempts=run.attempts
        )
    return settled
