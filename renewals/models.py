"""Purchase orders of resellers (SPEC §1.4): renewals, plans, paid and no-charge upgrades."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from contracts.models import Contract, Customer, PriceListEntry, Release, Reseller, System
from renewals import rules

KIND_CHOICES = [(kind.value, label) for kind, label in rules.KIND_LABELS.items()]
STATE_CHOICES = [(state.value, label) for state, label in rules.STATE_LABELS.items()]


class Order(models.Model):
    """A reseller's purchase order for one or more systems of one customer."""

    RESELLER_PATH = "reseller"

    reseller = models.ForeignKey(Reseller, on_delete=models.PROTECT, related_name="orders")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    state = models.CharField(
        max_length=12, choices=STATE_CHOICES, default=rules.State.SUBMITTED.value
    )
    po_number = models.CharField("PO number", max_length=64)
    # The reseller's currency when it was placed: every line's price is in it (SPEC §1.7).
    currency = models.CharField(max_length=3, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="orders"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    booked_on = models.DateField(null=True, blank=True, help_text="The rules applied as of it.")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Billed to the reseller: "the reseller pays shipping" (SPEC §1.4).
    shipping_charge = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    installed_on = models.DateField(null=True, blank=True)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # One order per PO number of a reseller: a second submit finds the first order.
            models.UniqueConstraint(
                fields=["reseller", "po_number"],
                name="order_unique_po_per_reseller",
                violation_error_message="This reseller already has an order with this PO number.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in rules.OrderKind]),
                name="order_valid_kind",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[state.value for state in rules.State]),
                name="order_valid_state",
            ),
            models.CheckConstraint(
                condition=~Q(state=rules.State.REJECTED.value) | ~Q(rejection_reason=""),
                name="order_rejection_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["reseller", "-submitted_at"], name="order_reseller_recent"),
            models.Index(fields=["state", "submitted_at"], name="order_state_age"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"ORD-{self.pk:06d}" if self.pk else "ORD-new"

    @property
    def is_upgrade(self) -> bool:
        return self.kind in rules.SHIPPED_KINDS

    @property
    def kind_label(self) -> str:
        return rules.KIND_LABELS[rules.OrderKind(self.kind)]

    @property
    def kind_noun(self) -> str:
        """The kind inside a sentence: "your XpressCare plan order"."""
        return rules.KIND_NOUNS[rules.OrderKind(self.kind)]

    @property
    def total(self) -> Decimal | None:
        """The sum of the lines' net prices (None for an order placed before prices existed)."""
        amounts = [line.net_price for line in self.lines.all()]
        if not amounts or None in amounts:
            return None
        return sum(amounts, Decimal("0.00"))


class OrderLine(models.Model):
    """One system of an order, its term and add-ons, and the contract its booking created."""

    RESELLER_PATH = "order__reseller"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="order_lines")
    term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    covers_um_clients = models.BooleanField("UM client coverage", default=False)
    covers_tts = models.BooleanField("TTS coverage", default=False)
    # Upgrades only: the release the system moves to (the current one when ordered or booked).
    target_release = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The coverage period booked for this line (none for a no-charge upgrade). The link lives
    # here, on the order side, so contracts know nothing of orders.
    contract = models.OneToOneField(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="order_line"
    )
    # The price it was submitted with, and where it came from: booking never prices again.
    list_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    net_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    term_discount_percent = models.DecimalField(
        "term discount (%)", max_digits=5, decimal_places=2, default=Decimal(0)
    )
    reseller_discount_percent = models.DecimalField(
        "reseller discount (%)", max_digits=5, decimal_places=2, default=Decimal(0)
    )
    price_entry = models.ForeignKey(
        PriceListEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The price list entry in force when it was submitted (none if no charge).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "system"], name="order_line_one_per_system")
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.system}"


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

    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="digest_runs")
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
        db_table = "notifications_digestrun"  # made by the notifications app, which had it once
        ordering = ["-month", "reseller__name"]
        constraints = [
            models.UniqueConstraint(fields=["reseller", "month"], name="digest_run_per_month")
        ]
        indexes = [models.Index(fields=["month", "status"])]

    def __str__(self) -> str:
        return f"{self.reseller.name}, {self.month:%B %Y}"


class ResellerStanding(Reseller):
    """Resellers as the back office ranks them by renewal outcomes (SPEC §2): a page in admin,
    no table of its own."""

    class Meta:
        proxy = True
        verbose_name = "renewal outcomes by reseller"
        verbose_name_plural = "renewal outcomes by reseller"


class CalendarFeed(models.Model):
    """A user's private calendar feed (SPEC §6.5): the secret of its address, stored only hashed.

    Resetting replaces the hash, so the old address is unknown at once; turning the feed off
    deletes the row.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    # sha256 (hex) of the token in the address; the token itself is shown once and not kept.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(help_text="When this address was made (turned on or reset).")

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
