"""Celery tasks of the renewals app: thin wrappers around its services."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from renewals.services import digests


@shared_task
def digest_schedule_task() -> int:
    """Hourly from beat, at least once: settles last runs, queues each digest that is due."""
    digests.digest_runs_settle()
    return digests.digest_schedule(now=timezone.now())


@shared_task(acks_late=True)
def digest_send_task(reseller_id: int, on: str) -> None:
    """At least once per queued reseller; the locked run row makes the month's e-mails once."""
    digests.digest_send(reseller_id=reseller_id, on=date.fromisoformat(on))
