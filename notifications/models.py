"""Notifications: the e-mail outbox (private files: `notifications.storage`).

The outbox: every e-mail is a row, recorded before it leaves, sent at most once per key.
"""

from django.db import models


class Email(models.Model):
    """One e-mail to one recipient. `key` names it (kind, recipient, period) and is unique."""

    class Status(models.TextChoices):
        PENDING = "pending", "waiting to be sent"
        SENDING = "sending", "being sent"
        SENT = "sent", "sent"
        FAILED = "failed", "failed (will not be retried)"

    key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=40, db_index=True)
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Secrets the bodies show as placeholders (notifications.sealing), encrypted; emptied once
    # the e-mail is sent. Never shown in admin.
    sealed = models.TextField(blank=True, editable=False)
    attachment = models.FileField(upload_to="attachments/%Y/%m/", blank=True, max_length=255)
    attachment_name = models.CharField(max_length=255, blank=True)
    reseller = models.ForeignKey(
        "contracts.Reseller", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # After a failed attempt: not before this time (so a retry and a sweep never both try).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Who claimed it (a task's id): a retry of that task may take it again, since an outage can
    # lose the answer to a claim that was made (the e-mail then left no one's hands).
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "claimed_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
