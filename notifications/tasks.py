"""Celery tasks of the notifications app: thin wrappers around its services."""

import logging

from celery import shared_task

from notifications import services

log = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=services.MAX_ATTEMPTS, acks_late=True)
def email_send_task(self, email_id: int) -> None:
    """At least once per queued id; the row's claim makes the e-mail itself go at most once."""
    try:
        services.email_send(email_id, claimant=self.request.id or "")
    except services.RecordLost:
        log.error("not retried, to send no duplicate", exc_info=True)
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
