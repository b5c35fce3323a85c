"""XpressCare confirmation letters (SPEC §1.6): a PDF per contract version, and who asked."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from contracts.models.records import Contract
from notifications.storage import PrivateStorage

_letter_files = PrivateStorage("letters")


def letter_storage() -> PrivateStorage:
    """Where letters are kept: the private storage's `letters` folder (on disk or in a bucket)."""
    return _letter_files


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

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="letters")
    version = models.CharField(max_length=16)
    facts = models.JSONField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    # Room for the longest serial number in the name (the default 100 is too short).
    file = models.FileField(storage=letter_storage, upload_to="%Y/%m/", blank=True, max_length=255)
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
        db_table = "notifications_letter"  # made by the notifications app, which had it once
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
        db_table = "notifications_letterrequest"
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"{self.user} asked for {self.letter}"
