"""Celery tasks of the contracts app: thin wrappers around its services."""

from celery import shared_task

from contracts.services import letters


@shared_task(acks_late=True)
def letter_generate_task(letter_id: int) -> None:
    """At least once per queued letter; the letter's claim makes one worker render it."""
    letters.letter_generate(letter_id)


@shared_task
def letter_sweep_task() -> int:
    """Re-queue letters a lost task or a dead worker left ungenerated."""
    return letters.letter_sweep()
