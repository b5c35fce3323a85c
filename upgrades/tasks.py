"""Celery tasks of bulletins: thin wrappers around upgrades.services."""

from celery import shared_task

from upgrades import services


@shared_task(acks_late=True)
def bulletin_notify_task(bulletin_id: int) -> int:
    """At least once (re-run by the sweep until done); each notice still goes at most once."""
    return services.bulletin_notify(bulletin_id=bulletin_id)


@shared_task
def bulletin_sweep_task() -> int:
    """Re-queue bulletins whose fan-out a dead worker or a lost task left unfinished."""
    return services.bulletin_sweep()
