"""Product bulletins and the service packs and hot fixes of releases (SPEC §1.5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from contracts.models import Release
from notifications.storage import private_storage


class Bulletin(models.Model):
    """A new release announced to resellers; publishing e-mails those with systems it upgrades."""

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="bulletins")
    title = models.CharField(max_length=200)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set once every eligible reseller's notices are in the outbox; until then a sweep re-runs it.
    notified_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def product(self):
        return self.release.product


class Download(models.Model):
    """A service pack or hot fix of a release, for resellers with a covered system on it."""

    class Kind(models.TextChoices):
        SERVICE_PACK = "service_pack", "Service pack"
        HOT_FIX = "hot_fix", "Hot fix"

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="downloads")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    file = models.FileField(storage=private_storage, upload_to="downloads/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["release__product__name", "-release__sort_key", "-created_at"]

    def __str__(self) -> str:
        return f"{self.release} {self.title}"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
