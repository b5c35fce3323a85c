"""XpressCare confirmation letters (SPEC §1.6): requested, generated once per version, e-mailed.

A request records who asked and queues generation after commit; a worker claims the letter with
a conditional UPDATE (requested → generating), renders the PDF, stores it privately and, in one
transaction, marks it ready and writes one outbox e-mail per open request. `letter_sweep`
re-queues letters whose task was lost or whose worker died, so a request is never lost.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from contracts.models import Contract, Letter, LetterRequest
from contracts.rules import letters as rules
from contracts.selectors.letters import letter_facts
from notifications.services import email_enqueue

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
STUCK_AFTER = timedelta(minutes=10)  # a claim older than this belongs to a dead worker
SWEEP_GRACE = timedelta(minutes=2)  # fresh requests are left to their own task


def letter_queue(letter_id: int) -> None:
    from contracts.tasks import letter_generate_task

    letter_generate_task.delay(letter_id)


@transaction.atomic
def letter_request(*, contract: Contract, user, regenerate: bool = False) -> Letter:
    """Ask for a contract's confirmation letter; `user` gets it by e-mail when it is ready.

    One letter per version of what it states: asking again for a ready letter e-mails it at
    once; `regenerate` (staff) renders the current version again.
    """
    facts = letter_facts(contract)
    letter, created = Letter.objects.get_or_create(
        contract=contract, version=rules.letter_version(facts), defaults={"facts": facts}
    )
    LetterRequest.objects.get_or_create(letter=letter, user=user, emailed_at=None)
    if letter.status == Letter.Status.READY and not regenerate:
        with letter.file.open("rb") as stored:
            letter_email_requests(letter, stored.read())
        return letter
    if created or regenerate or letter.status == Letter.Status.FAILED:
        # A letter being generated now is left alone: it e-mails every open request when done.
        Letter.objects.filter(pk=letter.pk).exclude(status=Letter.Status.GENERATING).update(
            status=Letter.Status.REQUESTED, attempts=0
        )
        transaction.on_commit(lambda: letter_queue(letter.pk))
    letter.refresh_from_db()
    return letter


def letter_claim(letter_id: int) -> Letter | None:
    """Take a requested letter for generation; None when another worker has it or it is done."""
    now = timezone.now()
    claimable = Q(status=Letter.Status.REQUESTED) | Q(
        status=Letter.Status.GENERATING, claimed_at__lt=now - STUCK_AFTER
    )
    # A letter whose rendering kills the worker is not tried forever (see letter_sweep).
    claimed = Letter.objects.filter(claimable, pk=letter_id, attempts__lt=MAX_ATTEMPTS).update(
        status=Letter.Status.GENERATING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return Letter.objects.select_related("contract__system__reseller__region").get(pk=letter_id)


def letter_generate(letter_id: int) -> bool:
    """Render, store and e-mail one requested letter; False when there was nothing to do.

    A rendering error puts the letter back to requested (failed after MAX_ATTEMPTS) and is
    raised, so the task or the sweep tries again.
    """
    letter = letter_claim(letter_id)
    if letter is None:
        return False
    # WeasyPrint is imported here, by workers only: web processes never render.
    from contracts.letter_pdf import letter_pdf

    dated = letter.contract.system.reseller.region.today(timezone.now())
    started = time.perf_counter()
    try:
        pdf, pages = letter_pdf(letter.facts, dated)
    except Exception as error:
        failed = letter.attempts >= MAX_ATTEMPTS
        Letter.objects.filter(pk=letter.pk).update(
            status=Letter.Status.FAILED if failed else Letter.Status.REQUESTED,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        log.warning("letter %s failed (attempt %s): %s", letter.pk, letter.attempts, error)
        raise
    render_ms = round((time.perf_counter() - started) * 1000)
    return _letter_store(letter, pdf, dated=dated, pages=pages, render_ms=render_ms)


def _letter_store(letter: Letter, pdf: bytes, **rendered) -> bool:
    """Store the PDF and mark the letter ready, if this worker's claim still holds; e-mail it."""
    old_name = letter.file.name
    new_name = letter.file.storage.save(
        f"{rendered['dated']:%Y/%m}/{letter.filename}", ContentFile(pdf)
    )
    with transaction.atomic():
        done = Letter.objects.filter(
            pk=letter.pk, status=Letter.Status.GENERATING, claimed_at=letter.claimed_at
        ).update(
            status=Letter.Status.READY,
            file=new_name,
            size=len(pdf),
            generations=F("generations") + 1,
            generated_at=timezone.now(),
            last_error="",
            **rendered,
        )
        if done:
            letter_email_requests(letter, pdf)
    # Keep one file per letter: the new one if it was recorded, else the one already there.
    if not done:
        letter.file.storage.delete(new_name)
    elif old_name and old_name != new_name:
        letter.file.storage.delete(old_name)
    return bool(done)


def letter_email_requests(letter: Letter, pdf: bytes) -> int:
    """E-mail a ready letter, PDF attached, to everyone whose request is still open."""
    requests = LetterRequest.objects.select_for_update().filter(letter=letter, emailed_at=None)
    sent = 0
    for request in requests.select_related("user"):
        if request.user.email:
            email_enqueue(
                key=f"letter:{letter.pk}:{request.pk}",
                to=request.user.email,
                template="confirmation-letter",
                context={"letter": letter, "facts": letter.facts, "user": request.user},
                reseller=letter.contract.system.reseller,
                attachment=(letter.filename, pdf),
            )
            sent += 1
        request.emailed_at = timezone.now()
        request.save(update_fields=["emailed_at"])
    return sent


def letter_missing_ids(*, grace: timedelta = SWEEP_GRACE) -> list[int]:
    """Letters requested, not generated: waiting longer than `grace`, or left by a dead worker."""
    now = timezone.now()
    missing = Letter.objects.filter(
        Q(status=Letter.Status.REQUESTED, requested_at__lt=now - grace)
        | Q(status=Letter.Status.GENERATING, claimed_at__lt=now - STUCK_AFTER)
    )
    return list(missing.order_by("pk").values_list("pk", flat=True)[:5000])


def letter_sweep() -> int:
    """Queue again every letter still missing; returns how many.

    A letter left generating by a worker that died MAX_ATTEMPTS times is marked failed.
    """
    Letter.objects.filter(
        status=Letter.Status.GENERATING,
        claimed_at__lt=timezone.now() - STUCK_AFTER,
        attempts__gte=MAX_ATTEMPTS,
    ).update(
        status=Letter.Status.FAILED,
        last_error=f"The worker stopped while rendering it, {MAX_ATTEMPTS} times.",
    )
    ids = letter_missing_ids()
    for letter_id in ids:
        letter_queue(letter_id)
    return len(ids)
