"""The price list and term discounts staff keep (SPEC §1.7); the reseller's discount is on
the reseller."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from contracts import rules
from contracts.models.records import Product
from contracts.rules import prices
from partnerxpress.core.errors import RuleViolation


class PriceListEntry(models.Model):
    """A product's prices in one currency from a date on (SPEC §1.7).

    On a date, the entry in force for a product and currency is the one with the latest
    `effective_from` on or before it; a submitted order keeps the entry it was priced with.
    """

    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="price_list",
        limit_choices_to={"is_xpresscare_eligible": True},
    )
    currency = models.CharField(
        max_length=3, choices=[(code, code) for code in sorted(set(rules.CURRENCIES.values()))]
    )
    effective_from = models.DateField()
    xpresscare_annual = models.DecimalField("XpressCare, one year", max_digits=10, decimal_places=2)
    um_client_annual = models.DecimalField(
        "per UM client, one year", max_digits=10, decimal_places=2
    )
    tts_channel_annual = models.DecimalField(
        "per TTS channel, one year", max_digits=10, decimal_places=2
    )
    upgrade = models.DecimalField(
        "software upgrade",
        max_digits=10,
        decimal_places=2,
        help_text="With 12 months of XpressCare.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["product__name", "currency", "-effective_from"]
        verbose_name_plural = "price list"
        constraints = [
            models.UniqueConstraint(
                fields=["product", "currency", "effective_from"],
                name="price_one_entry_per_day",
                violation_error_message="This product already has prices in this currency "
                "from this date.",
            ),
            models.CheckConstraint(
                condition=Q(
                    xpresscare_annual__gte=0,
                    um_client_annual__gte=0,
                    tts_channel_annual__gte=0,
                    upgrade__gte=0,
                ),
                name="price_not_negative",
                violation_error_message="A price cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.currency} from {self.effective_from}"

    @property
    def as_rule(self) -> prices.PriceList:
        return prices.PriceList(
            self.currency,
            self.xpresscare_annual,
            self.um_client_annual,
            self.tts_channel_annual,
            self.upgrade,
        )

    def clean(self) -> None:
        if None in (
            self.xpresscare_annual,
            self.um_client_annual,
            self.tts_channel_annual,
            self.upgrade,
        ):
            return  # the fields report what is missing
        try:
            prices.check_prices(self.as_rule)
        except RuleViolation as refused:
            raise ValidationError({refused.field: refused.message}) from None


class TermDiscount(models.Model):
    """The discount of a term of XpressCare (24 months 5 %, 36 months 10 %; others none)."""

    term_months = models.PositiveSmallIntegerField(
        unique=True, choices=[(term, f"{term} months") for term in rules.ALL_TERMS]
    )
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(Decimal("99.99"))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["term_months"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lt=100),
                name="term_discount_below_100",
                violation_error_message="A term discount is at least 0 and less than 100 percent.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.term_months} months: {self.percent} %"
