"""Writing and sending e-mail through the outbox.

Exactly once, in layers: the row's unique `key` makes enqueueing idempotent; a conditional UPDATE
claims the row (pending → sending) so two workers never both send it; the outcome is recorded on
the row; `email_sweep` re-queues rows left pending or stuck in `sending` by a dead worker.
A claim's answer lost in a database outage is taken again by the same task's retry (its id is
the claimant); once the SMTP server accepted, the row's update waits out an outage of up to
RECORD_PATIENCE. The only window left for a duplicate is a worker dying (or the database away
longer than that) between the acceptance and the update; the resent copy carries the same
Message-ID.

The monthly renewal e-mail and confirmation letters build on it: `services.digests`,
`services.letters`.
"""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, transaction
from django.db import connection as db_connection
from django.db.models import Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from notifications import sealing
from notifications.models import Email
from partnerxpress.core.locales import in_region

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 16  # over about six hours (see retry_delay): a long SMTP outage loses nothing
STUCK_AFTER = timedelta(minutes=10)  # a claim older than this belongs to a dead worker
RECORD_PATIENCE = timedelta(minutes=5)  # well inside STUCK_AFTER: no resend while we wait


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 5 s, doubling, at most an hour."""
    return timedelta(seconds=min(3600, 5 * 2 ** (attempts - 1)))


def text_render(name: str, context: dict) -> str:
    """A plain-text template, not HTML-escaped: "AT&T" stays "AT&T" in a subject or text body."""
    return get_template(name).template.render(Context(context, autoescape=False))


def email_render(template: str, context: dict, region=None) -> tuple[str, str, str]:
    """Subject, text and HTML from templates/emails/<template>-{subject,body}.txt and -body.html,
    dates and times as the region's users read them (none: US English, UTC)."""
    context = {"portal_url": settings.PORTAL_URL, **context}
    with in_region(region) if region is not None else nullcontext():
        subject = " ".join(text_render(f"emails/{template}-subject.txt", context).split())
        text = text_render(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    return subject, text, html


def email_enqueue(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    reseller=None,
    attachment: tuple[str, bytes] | None = None,
    secrets: dict[str, str] | None = None,
) -> Email | None:
    """Record an e-mail and send it after commit; nothing if one with this key exists already.

    `secrets` (e.g. a password-reset link) are context values the row keeps sealed: its bodies
    show "[name hidden]" (notifications.sealing); only the message sent carries them. Neither
    `key` nor `subject` may hold a secret.

    Returns the new row, or None when the key was taken (the e-mail is sent or on its way).
    """
    if Email.objects.filter(key=key).exists():
        return None
    hidden = {name: sealing.placeholder(name) for name in secrets or {}}
    region = reseller.region if reseller else None
    subject, text, html = email_render(template, {**context, **hidden}, region)
    fields = {
        "kind": template,
        "to": to,
        "subject": subject,
        "body_text": text,
        "body_html": html,
        "sealed": sealing.seal(secrets or {}),
        "reseller": reseller,
    }
    if attachment is not None:
        name, content = attachment
        folder = timezone.now().strftime("attachments/%Y/%m/")
        fields["attachment"] = default_storage.save(folder + name, ContentFile(content))
        fields["attachment_name"] = name
    # get_or_create settles a race between two enqueuers of one key inside a savepoint.
    email, created = Email.objects.get_or_create(key=key, defaults=fields)
    if not created:
        return None
    transaction.on_commit(lambda: email_queue(email.pk))
    return email


def email_queue(email_id: int) -> None:
    from notifications.tasks import email_send_task

    email_send_task.delay(email_id)


def email_claim(email_id: int, claimant: str = "") -> Email | None:
    """Take a pending e-mail for sending; None when another worker has it or it is done.

    `claimant` (a task's id, the same on its retries) may take again what it claimed before:
    its earlier attempt lost the answer, so it never sent.
    """
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimable = Q(due, status=Email.Status.PENDING) | Q(
        status=Email.Status.SENDING, claimed_at__lt=now - STUCK_AFTER
    )
    if claimant:
        claimable |= Q(status=Email.Status.SENDING, claimed_by=claimant)
    claimed = Email.objects.filter(claimable, pk=email_id).update(
        status=Email.Status.SENDING, claimed_at=now, claimed_by=claimant
    )
    return Email.objects.get(pk=email_id) if claimed else None


def email_message(email: Email, connection=None) -> EmailMultiAlternatives:
    """The message to send: the row's bodies with its sealed secrets put back in."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "partnerxpress"
    secrets = sealing.unseal(email.sealed)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=sealing.reveal(email.body_text, secrets),
        to=[email.to],
        headers={"Message-ID": f"<{email.pk}.{email.key.replace(' ', '_')}@{domain}>"},
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(
            sealing.reveal(email.body_html, secrets, as_html=True), "text/html"
        )
    if email.attachment:
        with email.attachment.open("rb") as attached:
            message.attach(email.attachment_name, attached.read(), "application/pdf")
    return message


class SendFailed(Exception):
    """An e-mail did not leave; `retry_in` seconds is when its row is due again."""

    def __init__(self, message: str, retry_in: float) -> None:
        super().__init__(message)
        self.retry_in = retry_in


def email_send(email_id: int, *, connection=None, claimant: str = "") -> bool:
    """Send one claimed e-mail and record the outcome; True when it left or needs no sending.

    On an SMTP failure the row goes back to pending, due again after `retry_delay` of its
    own attempts (or to failed after MAX_ATTEMPTS), and SendFailed says when, so the task
    retries exactly then; the sweep queues it too if that retry is lost. `connection` (an
    open mail connection) lets a batch reuse one SMTP session.
    """
    email = email_claim(email_id, claimant)
    if email is None:
        return True
    try:
        email_message(email, connection).send()
    except Exception as error:
        attempts = email.attempts + 1
        status = Email.Status.FAILED if attempts >= MAX_ATTEMPTS else Email.Status.PENDING
        message = f"{type(error).__name__}: {error}"
        Email.objects.filter(pk=email.pk).update(
            status=status,
            attempts=attempts,
            next_attempt_at=timezone.now() + retry_delay(attempts),
            last_error=message[:2000],
        )
        log.warning("e-mail %s to %s failed (attempt %s): %s", email.pk, email.to, attempts, error)
        raise SendFailed(message, retry_delay(attempts).total_seconds()) from error
    _record_sent(email)
    return True


class RecordLost(Exception):
    """An e-mail left but the database stayed away: retrying the task would send it again."""


def _record_sent(email: Email) -> None:
    """Mark a message the SMTP server accepted as sent, and drop its sealed secrets (it goes
    once: nothing needs them now), waiting out a database outage: the row left in `sending`
    would be sent again by the sweep (a duplicate)."""
    waited = 0.0
    while True:
        try:
            Email.objects.filter(pk=email.pk).update(
                status=Email.Status.SENT,
                sent_at=timezone.now(),
                attempts=email.attempts + 1,
                last_error="",
                sealed="",
            )
            return
        except (OperationalError, InterfaceError) as error:
            if waited >= RECORD_PATIENCE.total_seconds():
                raise RecordLost(f"e-mail {email.pk} left; recording it failed: {error}") from error
            log.warning("e-mail %s left but the database is away; recording it again", email.pk)
            db_connection.close()  # a broken connection is not reused
            pause = min(5.0, 0.5 + waited / 4)
            time.sleep(pause)
            waited += pause


def email_sweep() -> int:
    """Queue again every e-mail whose send was lost: pending and due, or stuck in sending."""
    now = timezone.now()
    waiting = Email.objects.filter(
        Q(status=Email.Status.PENDING, next_attempt_at__lte=now)
        | Q(
            status=Email.Status.PENDING,
            next_attempt_at__isnull=True,
            created_at__lt=now - timedelta(minutes=1),
        )
        | Q(status=Email.Status.SENDING, claimed_at__lt=now - STUCK_AFTER)
    ).values_list("pk", flat=True)
    ids = list(waiting[:5000])
    for email_id in ids:
        email_queue(email_id)
    return len(ids)
