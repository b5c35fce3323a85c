"""Celery tasks of the notifications app: thin wrappers around its services."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from notifications import services
from notifications.services import digests, letters


@shared_task(bind=True, max_retries=services.MAX_ATTEMPTS, acks_late=True)
def email_send_task(self, email_id: int) -> None:
    """At least once per queued id; the row's claim makes the e-mail itself go at most once."""
    try:
        services.email_send(email_id)
    except services.SendFailed as failed:
        # When the row is due again (its own attempts decide, not this task's retries).
        raise self.retry(exc=failed, countdown=failed.retry_in) from failed
    except Exception as error:  # e.g. the database away for a moment: back off as well
        delay = services.retry_delay(self.request.retries + 1).total_seconds()
        raise self.retry(exc=error, countdown=delay) from error


@shared_task
def email_sweep_task() -> int:
    """Re-queue e-mails a lost task or a dead worker left behind."""
    return services.email_sweep()


@shared_task
def digest_schedule_task() -> int:
    """Hourly from beat, at least once: settles last runs, queues each digest that is due."""
    digests.digest_runs_settle()
    return digests.digest_schedule(now=timezone.now())


@shared_task(acks_late=True)
def digest_send_task(reseller_id: int, on: str) -> None:
    """At least once per queued reseller; the locked run row makes the month's e-mails once."""
    digests.digest_send(reseller_id=reseller_id, on=date.fromisoformat(on))


@shared_task(acks_late=True)
def letter_generate_task(letter_id: int) -> None:
    """At least once per queued letter; the letter's claim makes one worker render it."""
    letters.letter_generate(letter_id)


@shared_task
def letter_sweep_task() -> int:
    """Re-queue letters a lost task or a dead worker left ungenerated."""
    return letters.letter_sweep()
