"""Support: business hours per region, the rate card, cases and the time staff enter on them."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from contracts.models import Region, Reseller, System
from incidents import rules
from partnerxpress.core.errors import RuleViolation

WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class BusinessHours(models.Model):
    """A region's support business hours (SPEC §4.1); the time zone is the region's."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="business_hours")
    opens_at = models.TimeField(default=time(8), help_text="Local time; the opening is inclusive.")
    closes_at = models.TimeField(
        default=time(17), help_text="Local time; the closing is exclusive."
    )
    monday = models.BooleanField(default=True)
    tuesday = models.BooleanField(default=True)
    wednesday = models.BooleanField(default=True)
    thursday = models.BooleanField(default=True)
    friday = models.BooleanField(default=True)
    saturday = models.BooleanField(default=False)
    sunday = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "business hours"
        verbose_name_plural = "business hours"
        ordering = ["region__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")),
                name="business_hours_open_before_close",
                violation_error_message="Business hours must open before they close.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region.code} {self.opens_at:%H:%M}–{self.closes_at:%H:%M} {self.days_label}"

    @property
    def weekdays(self) -> frozenset[int]:
        return frozenset(n for n, name in enumerate(WEEKDAY_FIELDS) if getattr(self, name))

    @property
    def days_label(self) -> str:
        """“Mon–Fri”, or the days one by one when they do not run together."""
        days = sorted(self.weekdays)
        short = [rules.WEEKDAY_NAMES[day][:3] for day in days]
        if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
            return f"{short[0]}–{short[-1]}"
        return ", ".join(short) or "no days"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": "Business hours must close after they open."})
        if not self.weekdays:
            raise ValidationError("Choose at least one weekday.")


class Holiday(models.Model):
    """A day without business hours in one region."""

    business_hours = models.ForeignKey(
        BusinessHours, on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField()
    name = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_hours", "date"],
                name="holiday_once_per_region",
                violation_error_message="This day is already a holiday in this region.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()


class Rate(models.Model):
    """A rate card row: hourly rate and minimum by system age band, business or after hours."""

    class Hours(models.TextChoices):
        BUSINESS = "business", "business hours"
        AFTER = "after", "after hours"

    min_age_years = models.PositiveSmallIntegerField("from age (years)")
    max_age_years = models.PositiveSmallIntegerField(
        "to age (years)", null=True, blank=True, help_text="Inclusive; empty for “and older”."
    )
    hours = models.CharField(max_length=8, choices=Hours.choices)
    hourly_rate = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    minimum_minutes = models.PositiveSmallIntegerField(
        help_text="Billed at least this long; a multiple of 30 (time is billed in half hours)."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rate card row"
        verbose_name_plural = "rate card"
        ordering = ["-hours", "min_age_years"]  # business hours first
        constraints = [
            models.UniqueConstraint(fields=["hours", "min_age_years"], name="rate_band_unique"),
            models.CheckConstraint(condition=Q(hourly_rate__gt=0), name="rate_positive"),
            models.CheckConstraint(
                condition=Q(minimum_minutes__gt=0), name="rate_minimum_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{rules.band_label(self.as_rule)}, {self.get_hours_display()}"

    @property
    def as_rule(self) -> rules.Rate:
        return rules.Rate(
            min_age_years=self.min_age_years,
            max_age_years=self.max_age_years,
            business_hours=self.hours == self.Hours.BUSINESS,
            hourly_rate=self.hourly_rate,
            minimum_minutes=self.minimum_minutes,
        )

    def clean(self) -> None:
        if None in (self.min_age_years, self.hours, self.hourly_rate, self.minimum_minutes):
            return  # the fields report what is missing
        others = Rate.objects.exclude(pk=self.pk).filter(hours=self.hours)
        try:
            rules.check_rate(self.as_rule, [other.as_rule for other in others])
        except RuleViolation as refused:
            raise ValidationError({refused.field: refused.message}) from None


class Case(models.Model):
    """A support case a certified technician opened for one system (SPEC §4.2)."""

    RESELLER_PATH = "reseller"

    class Severity(models.TextChoices):
        NORMAL = "normal", "normal"
        SYSTEM_DOWN = "system_down", "system down"

    class Kind(models.TextChoices):
        XPRESSCARE = rules.CaseKind.XPRESSCARE.value, "XpressCare (no charge)"
        PER_INCIDENT = rules.CaseKind.PER_INCIDENT.value, "per-incident (billed)"

    class Status(models.TextChoices):
        OPEN = "open", "open"
        CLOSED = "closed", "closed"

    reseller = models.ForeignKey(Reseller, on_delete=models.PROTECT, related_name="cases")
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="cases")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases_opened"
    )
    severity = models.CharField(max_length=12, choices=Severity.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    summary = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    contact_phone = models.CharField(max_length=40, help_text="Where support calls back.")
    po_number = models.CharField("PO number", max_length=64, blank=True)
    opened_at = models.DateTimeField()
    starts_at = models.DateTimeField(
        help_text="When work starts: at once, or the next business-hours opening."
    )
    business_hours = models.BooleanField(help_text="Whether the start is in business hours.")
    after_hours_callback = models.BooleanField(
        "emergency after-hours call-back",
        default=False,
        help_text="A system-down case opened outside business hours.",
    )
    # The per-incident price as quoted when the case was opened (the rate card may change later).
    age_years = models.PositiveSmallIntegerField("system age (years)", null=True, blank=True)
    hourly_rate = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    minimum_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(blank=True)
    # The bill, fixed when the case is closed.
    minutes_worked = models.PositiveIntegerField(null=True, blank=True)
    billable_minutes = models.PositiveIntegerField(null=True, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["reseller", "-opened_at", "-id"], name="case_reseller_opened"),
            models.Index(fields=["system", "status"], name="case_system_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="per_incident")
                | Q(hourly_rate__isnull=False, minimum_minutes__isnull=False),
                name="case_per_incident_has_a_rate",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="case_closed_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"SC-{self.pk:06d}" if self.pk else "SC-new"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_billed(self) -> bool:
        return self.kind == self.Kind.PER_INCIDENT

    @property
    def deferred(self) -> bool:
        """Opened outside business hours for the next opening."""
        return self.starts_at > self.opened_at


class TimeEntry(models.Model):
    """Time a support engineer worked on a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="time_entries")
    worked_on = models.DateField()
    minutes = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    note = models.CharField(max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "time entries"
        ordering = ["worked_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="time_entry_positive")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.worked_on} {self.minutes} min"
