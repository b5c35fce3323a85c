"""Notifications: the e-mail outbox, the monthly renewal e-mail's runs, confirmation letters.

The outbox: every e-mail is a row, recorded before it leaves, sent at most once per key.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
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
    attachment = models.FileField(upload_to="attachments/%Y/%m/", blank=True)
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
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "claimed_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class DigestRun(models.Model):
    """The monthly renewal e-mail of one reseller for one month: what happened and why.

    One row per reseller and month (the month starts in the reseller's region zone); the row is
    locked while the month's e-mails are recorded, so two workers never both compose it.
    """

    RESELLER_PATH = "reseller"

    class Status(models.TextChoices):
        PENDING = "pending", "waiting to run"
        QUEUED = "queued", "e-mails queued"
        SENT = "sent", "sent"
        SKIPPED = "skipped", "skipped"
        FAILED = "failed", "failed"

    reseller = models.ForeignKey(
        "contracts.Reseller", on_delete=models.CASCADE, related_name="digest_runs"
    )
    month = models.DateField(help_text="First day of the month, in the reseller's zone.")
    on = models.DateField("listed as of", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True)
    expired = models.PositiveIntegerField("expired recently", default=0)
    due = models.PositiveIntegerField("due for renewal", default=0)
    recipients = models.PositiveIntegerField(default=0)
    # Keys of this run's outbox rows start with it: digest:<account>:<YYYY-MM>:
    email_key_prefix = models.CharField(max_length=80)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "reseller__name"]
        constraints = [
            models.UniqueConstraint(fields=["reseller", "month"], name="digest_run_per_month")
        ]
        indexes = [models.Index(fields=["month", "status"])]

    def __str__(self) -> str:
        return f"{self.reseller.name}, {self.month:%B %Y}"


class PrivateStorage(FileSystemStorage):
    """Files with no public URL: a view that checks who asks serves them."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through a checked view.")


def letter_storage() -> PrivateStorage:
    """Where letters are kept (a callable, so tests and workers follow MEDIA_ROOT)."""
    return PrivateStorage(location=settings.MEDIA_ROOT / "private" / "letters")


class Letter(models.Model):
    """An XpressCare confirmation letter (PDF) of one contract, generated once per version.

    `facts` is what the letter states, taken when it is requested; `version` is a digest of
    them, so a letter is made again only when what it would say has changed.
    """

    RESELLER_PATH = "contract__system__reseller"

    class Status(models.TextChoices):
        REQUESTED = "requested", "requested"
        GENERATING = "generating", "being generated"
        READY = "ready", "ready"
        FAILED = "failed", "failed"

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="letters"
    )
    version = models.CharField(max_length=16)
    facts = models.JSONField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    file = models.FileField(storage=letter_storage, upload_to="%Y/%m/", blank=True)
    dated = models.DateField(null=True, blank=True, help_text="The date printed on the letter.")
    pages = models.PositiveSmallIntegerField(default=0)
    size = models.PositiveIntegerField("size (bytes)", default=0)
    render_ms = models.PositiveIntegerField("render time (ms)", default=0)
    generations = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "version"], name="letter_per_version")
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"Confirmation letter {self.contract_id} v{self.version[:6]}"

    @property
    def filename(self) -> str:
        facts = self.facts
        return f"XpressCare-confirmation-{facts['serial_number']}-{facts['contract_number']}.pdf"


class LetterRequest(models.Model):
    """Someone asked for a letter; they get it by e-mail once it is ready."""

    RESELLER_PATH = "letter__contract__system__reseller"

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="letter_requests"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"{self.user} asked for {self.letter}"
