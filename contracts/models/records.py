"""Resellers, their users and customers, products, releases, systems and XpressCare contracts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.models import HistoricalRecords

from contracts import rules
from contracts.rules import prices
from partnerxpress.core.errors import RuleViolation


def _serial_number(value: str) -> None:
    """`rules.check_serial_number` as a field validator (admin's forms)."""
    try:
        rules.check_serial_number(value)
    except RuleViolation as wrong:
        raise ValidationError(wrong.message) from wrong


class Region(models.Model):
    """A sales region (NA, EMEA) with the time zone that decides a reseller's "today", and the
    language its users read dates in."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=100)
    time_zone = models.CharField(max_length=64, help_text="An IANA zone, e.g. America/Los_Angeles")
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en-us",
        help_text="How its resellers' users see dates and money: pages, e-mails and letters.",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.code

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def today(self, now: datetime) -> date:
        """The calendar date in this region at the instant `now`."""
        return now.astimezone(self.zone).date()

    def today_now(self) -> date:
        """The calendar date in this region now."""
        return self.today(timezone.now())


class Reseller(models.Model):
    """A partner company that sells CallXpress and Seneca and their XpressCare plans."""

    RESELLER_PATH = "pk"

    account_number = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="resellers")
    sales_representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="represented_resellers",
        limit_choices_to={"is_staff": True},
    )
    is_active = models.BooleanField(default=True)
    discount_percent = models.DecimalField(
        "discount (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(prices.MAX_RESELLER_DISCOUNT)],
        help_text="Off the list price of every XpressCare purchase and upgrade, 0 to 50.",
    )
    # Bumped by every write that can change a system's status (services.reseller_coverage_changed):
    # it names the cached coverage figures.
    coverage_version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["coverage_version"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=50),
                name="reseller_discount_0_to_50",
                violation_error_message="A reseller discount is between 0 and 50 percent.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.account_number})"

    @property
    def currency(self) -> str:
        return rules.currency_for_region(self.region.code)


class User(AbstractUser):
    """A login: vendor staff (no reseller) or a user of exactly one reseller."""

    reseller = models.ForeignKey(
        Reseller, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    has_contracts_access = models.BooleanField(
        "XpressCare Contracts access",
        default=False,
        help_text="Access to XpressCare Contracts must be enabled for each user.",
    )
    contracts_access_granted_at = models.DateTimeField(null=True, blank=True)
    contracts_access_granted_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_certified_technician = models.BooleanField("certified technician", default=False)
    certification_expires_on = models.DateField(null=True, blank=True)
    is_contract_representative = models.BooleanField(
        "support-contract representative",
        default=False,
        help_text="Receives the monthly renewal e-mail.",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"], user_related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(is_staff=True) | Q(reseller__isnull=False) | Q(is_superuser=True),
                name="user_is_staff_or_belongs_to_reseller",
                violation_error_message="A user who is not staff must belong to a reseller.",
            )
        ]

    def is_technician_on(self, on: date) -> bool:
        """A certified technician whose certification has not expired on `on`."""
        return self.is_certified_technician and (
            self.certification_expires_on is None or self.certification_expires_on >= on
        )


class Customer(models.Model):
    """An end customer of one reseller."""

    RESELLER_PATH = "reseller"

    reseller = models.ForeignKey(Reseller, on_delete=models.PROTECT, related_name="customers")
    name = models.CharField(max_length=200)
    site_address = models.TextField(blank=True)
    country = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["reseller", "name"], name="customer_unique_per_reseller"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """CallXpress, Seneca or RightFax; only the first two are XpressCare-eligible."""

    name = models.CharField(max_length=100, unique=True)
    is_xpresscare_eligible = models.BooleanField("XpressCare-eligible", default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Release(models.Model):
    """A software version of a product; versions compare as dotted numbers."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="releases")
    version = models.CharField(max_length=32)
    sort_key = models.CharField(max_length=64, editable=False)
    released_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["sort_key"])

    class Meta:
        ordering = ["product__name", "-sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["product", "version"], name="release_unique_version")
        ]
        indexes = [models.Index(fields=["product", "sort_key"])]

    def __str__(self) -> str:
        return f"{self.product.name} {self.version}"

    def save(self, *args, **kwargs) -> None:
        # Only this row: the sort key is the version, written so the database can order by it.
        self.sort_key = rules.version_sort_key(self.version)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # An invalid version is a form error, before save() would refuse it.
        try:
            rules.version_key(self.version)
        except RuleViolation as refused:
            raise ValidationError({"version": refused.message}) from None


SUMMARY_COLUMNS = [
    "chain_starts_on",
    "chain_ends_on",
    "prior_chain_starts_on",
    "prior_chain_ends_on",
]


class System(models.Model):
    """One installed system of a customer, with its coverage summary kept for SQL filters.

    The chain columns are derived from the system's contracts by `system_refresh_coverage`:
    the last chain of coverage and the one before it, enough to tell any status from today on.
    """

    RESELLER_PATH = "reseller"

    serial_number = models.CharField(max_length=64, unique=True, validators=[_serial_number])
    reseller = models.ForeignKey(Reseller, on_delete=models.PROTECT, related_name="systems")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="systems")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="systems")
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="systems")
    installed_on = models.DateField(null=True, blank=True)
    um_clients = models.PositiveIntegerField("UM clients", default=0)
    tts_channels = models.PositiveIntegerField("TTS channels", default=0)
    # Copied from the customer (by the services that write systems and customers) so the
    # contracts list sorts by customer without a join.
    customer_name = models.CharField(max_length=200, editable=False)
    chain_starts_on = models.DateField(null=True, blank=True, editable=False)
    chain_ends_on = models.DateField(null=True, blank=True, editable=False)
    prior_chain_starts_on = models.DateField(null=True, blank=True, editable=False)
    prior_chain_ends_on = models.DateField(null=True, blank=True, editable=False)
    # The derived columns change with every booking, which the contracts' history records.
    history = HistoricalRecords(excluded_fields=["customer_name", *SUMMARY_COLUMNS])

    class Meta:
        ordering = ["customer_name", "serial_number"]
        indexes = [
            models.Index(fields=["reseller", "chain_ends_on", "id"], name="system_reseller_end"),
            # "Expiry, latest first" keeps the systems without an end last too (SPEC §2).
            models.Index(
                F("reseller"),
                F("chain_ends_on").desc(nulls_last=True),
                F("id").desc(),
                name="system_reseller_end_desc",
            ),
            models.Index(
                fields=["reseller", "customer_name", "id"], name="system_reseller_customer"
            ),
            models.Index(
                fields=["reseller", "prior_chain_ends_on"], name="system_reseller_prior_end"
            ),
            models.Index(fields=["reseller", "product"], name="system_reseller_product"),
            # A chain that starts after today sends the status filters to the prior chain.
            models.Index(fields=["reseller", "chain_starts_on"], name="system_reseller_start"),
        ]
        constraints = [
            # Serial numbers are looked up whatever their case (`system_get`), so two systems
            # may not differ by case alone; the index also serves those look-ups.
            models.UniqueConstraint(
                Upper("serial_number"),
                name="system_serial_number_any_case",
                violation_error_message="A system with this serial number already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.serial_number

    @property
    def summary_chains(self) -> tuple[rules.Period, ...]:
        """The last two chains of coverage, as kept on the indexed columns."""
        return rules.CoverageSummary.from_columns(
            (self.prior_chain_starts_on, self.prior_chain_ends_on),
            (self.chain_starts_on, self.chain_ends_on),
        ).chains

    def status_on(self, on: date) -> rules.Status:
        """Status from the coverage summary (exact whenever at most one chain starts after `on`)."""
        if not self.product.is_xpresscare_eligible:
            return rules.Status.INELIGIBLE
        chain = rules.anchor_chain(self.summary_chains, on)
        return rules.status_for_chain(chain, on) if chain else rules.Status.NEVER


KIND_CHOICES = [
    (kind.value, rules.KIND_LABELS[kind][:1].upper() + rules.KIND_LABELS[kind][1:])
    for kind in rules.PurchaseKind
]


class Contract(models.Model):
    """An XpressCare purchase of one system and the coverage period it books."""

    RESELLER_PATH = "system__reseller"

    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="contracts")
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    booked_on = models.DateField()
    starts_on = models.DateField()
    term_months = models.PositiveSmallIntegerField(
        choices=[(term, f"{term} months") for term in rules.ALL_TERMS]
    )
    ends_on = models.DateField()
    covers_um_clients = models.BooleanField("UM client coverage", default=False)
    covers_tts = models.BooleanField("TTS coverage", default=False)
    po_number = models.CharField("PO number", max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["system", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "kind", "booked_on"],
                name="contract_one_purchase_per_kind_and_day",
                violation_error_message="This purchase is already booked.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in rules.PurchaseKind]),
                name="contract_valid_kind",
            ),
            models.CheckConstraint(
                condition=Q(term_months__in=rules.ALL_TERMS), name="contract_valid_term"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="contract_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["system", "starts_on"]), models.Index(fields=["ends_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"XC-{self.pk:07d}" if self.pk else "XC-new"

    @property
    def purchase(self) -> rules.Purchase:
        return rules.Purchase(
            rules.PurchaseKind(self.kind), self.booked_on, self.starts_on, self.ends_on
        )


class AccessRequest(models.Model):
    """A reseller user's request for XpressCare Contracts access, and its grant."""

    RESELLER_PATH = "user__reseller"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_requests")
    requested_at = models.DateTimeField(auto_now_add=True)
    message = models.TextField(blank=True)
    granted_at = models.DateTimeField(null=True, blank=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.user} asked on {self.requested_at:%Y-%m-%d}"
