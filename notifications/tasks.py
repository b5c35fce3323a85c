"""Celery tasks of the outbox: thin wrappers around notifications.services."""

from celery import shared_task

from notifications import services


@shared_task(bind=True, max_retries=services.MAX_ATTEMPTS, acks_late=True)
def email_send_task(self, email_id: int) -> None:
    """At least once per queued id; the row's claim makes the e-mail itself go at most once."""
    try:
        services.email_send(email_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=min(600, 5 * 2**self.request.retries)) from error


@shared_task
def email_sweep_task() -> int:
    """Re-queue e-mails a lost task or a dead worker left behind."""
    return services.email_sweep()
