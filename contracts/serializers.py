"""JSON shapes of the contracts API (SPEC §6.2); field names are a stable contract.

Every derived value comes from `contracts.rules` (entitlement_on, renewal_options): these
serializers only name and format what the rules return.
"""

from __future__ import annotations

from datetime import date

from rest_framework import serializers

from contracts import rules
from contracts.models import Contract, Customer, System
from contracts.rules.decisions import DECISION_LABELS, REASONS
from contracts.selectors import (
    pricing_for,
    system_facts,
    system_facts_load,
    system_value_entitlement,
)
from partnerxpress.core.api import IsoDateField, TextField
from partnerxpress.core.errors import RuleViolation

STATUS_CHOICES = [(status.value, rules.STATUS_LABELS[status]) for status in rules.Status]


class EntitlementFields(serializers.Serializer):
    """What the rules say about a system on a date; reads a row {"system", "entitlement"}."""

    status = serializers.ChoiceField(
        choices=STATUS_CHOICES, source="entitlement.coverage.status", read_only=True
    )
    covered = serializers.BooleanField(source="entitlement.coverage.covered", read_only=True)
    coverage_starts_on = serializers.DateField(
        source="entitlement.coverage.starts_on",
        allow_null=True,
        read_only=True,
        help_text="Start of the period containing the date (or of the next pending one).",
    )
    coverage_ends_on = serializers.DateField(
        source="entitlement.coverage.ends_on",
        allow_null=True,
        read_only=True,
        help_text="End of the current chain of coverage (or of the last one).",
    )
    renewable = serializers.BooleanField(source="entitlement.coverage.renewable", read_only=True)
    renew_by = serializers.DateField(
        source="entitlement.coverage.renew_by",
        allow_null=True,
        read_only=True,
        help_text="Last day a renewal may be booked; null when not renewable.",
    )
    upgrade_eligible = serializers.BooleanField(
        source="entitlement.upgrade_eligible", read_only=True
    )
    upgrade_to = serializers.CharField(
        source="entitlement.upgrade_to",
        allow_null=True,
        read_only=True,
        help_text="The current release when upgrade_eligible, else null.",
    )
    support_eligible = serializers.BooleanField(
        source="entitlement.support_eligible", read_only=True
    )
    requires_um_coverage = serializers.BooleanField(
        source="entitlement.requires_um_coverage", read_only=True
    )
    requires_tts_coverage = serializers.BooleanField(
        source="entitlement.requires_tts_coverage", read_only=True
    )

    FIELDS = [
        "status",
        "covered",
        "coverage_starts_on",
        "coverage_ends_on",
        "renewable",
        "renew_by",
        "upgrade_eligible",
        "upgrade_to",
        "support_eligible",
        "requires_um_coverage",
        "requires_tts_coverage",
    ]

    def get_fields(self):
        """In the documented order: `Meta.fields` of the subclass."""
        fields = super().get_fields()
        return {name: fields[name] for name in self.Meta.fields}


class EntitlementSerializer(EntitlementFields):
    """GET /api/v1/systems/{serial_number}/entitlement/ (SPEC §6.2), in the documented order."""

    serial_number = serializers.CharField(source="system.serial_number", read_only=True)
    product = serializers.CharField(source="system.product.name", read_only=True)
    release = serializers.CharField(source="system.release.version", read_only=True)
    on = serializers.DateField(read_only=True)

    class Meta:
        fields = ["serial_number", "product", "release", "on", *EntitlementFields.FIELDS]

    @staticmethod
    def row(system: System, on: date) -> dict:
        """The entitlement of a system on a date, from its whole coverage history."""
        return {
            "system": system,
            "on": on,
            "entitlement": rules.entitlement_on(system_facts_load(system), on),
        }


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def entitlement_json(entitlement: rules.Entitlement) -> dict:
    """`EntitlementFields` of an entitlement, written out for lists (tests/api prove it the
    same as the fields' output)."""
    coverage = entitlement.coverage
    return {
        "status": coverage.status.value,
        "covered": coverage.covered,
        "coverage_starts_on": _day(coverage.starts_on),
        "coverage_ends_on": _day(coverage.ends_on),
        "renewable": coverage.renewable,
        "renew_by": _day(coverage.renew_by),
        "upgrade_eligible": entitlement.upgrade_eligible,
        "upgrade_to": entitlement.upgrade_to,
        "support_eligible": entitlement.support_eligible,
        "requires_um_coverage": entitlement.requires_um_coverage,
        "requires_tts_coverage": entitlement.requires_tts_coverage,
    }


class SystemListSerializer(serializers.ListSerializer):
    """The systems list: rows of `selectors.system_values`, each entitlement from its coverage
    summary (`rules.entitlement_from_summary`), written out plainly: through DRF's fields a
    row cost more than its rules. The shape is `SystemSerializer`'s, which documents it."""

    def to_representation(self, rows) -> list[dict]:
        on, versions = self.context["on"], self.context["versions"]
        return [
            {
                "serial_number": row["serial_number"],
                "reseller": row["reseller_account_number"],
                "customer": row["customer_id"],
                "customer_name": row["customer_name"],
                "product": row["product_name"],
                "release": row["release_version"],
                "installed_on": _day(row["installed_on"]),
                "um_clients": row["um_clients"],
                "tts_channels": row["tts_channels"],
                **entitlement_json(system_value_entitlement(row, on, versions)),
            }
            for row in rows
        ]


class SystemSerializer(EntitlementFields):
    """A system and its entitlement today (the caller's region), as in the portal list."""

    serial_number = serializers.CharField(read_only=True, source="system.serial_number")
    reseller = serializers.CharField(
        read_only=True, source="system.reseller.account_number", help_text="Account number."
    )
    customer = serializers.IntegerField(read_only=True, source="system.customer_id")
    customer_name = serializers.CharField(read_only=True, source="system.customer_name")
    product = serializers.CharField(read_only=True, source="system.product.name")
    release = serializers.CharField(read_only=True, source="system.release.version")
    installed_on = serializers.DateField(
        read_only=True, allow_null=True, source="system.installed_on"
    )
    um_clients = serializers.IntegerField(read_only=True, source="system.um_clients")
    tts_channels = serializers.IntegerField(read_only=True, source="system.tts_channels")

    class Meta:
        fields = [
            "serial_number",
            "reseller",
            "customer",
            "customer_name",
            "product",
            "release",
            "installed_on",
            "um_clients",
            "tts_channels",
            *EntitlementFields.FIELDS,
        ]
        # One system goes through the full rule and these fields; a list (`many=True`) is rows
        # of `selectors.system_values` (the docstring above is the schema's description).
        list_serializer_class = SystemListSerializer

    def to_representation(self, system: System) -> dict:
        # Contracts are prefetched and release numbers given in the context: no query per row.
        facts = system_facts(
            system, system.contracts.all(), self.context["versions"].get(system.product_id, ())
        )
        entitlement = rules.entitlement_on(facts, self.context["on"])
        return super().to_representation({"system": system, "entitlement": entitlement})


class RenewalOptionSerializer(serializers.Serializer):
    term_months = serializers.IntegerField(read_only=True)
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)
    list_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        source="price.list_price",
        help_text="With the required add-ons, in `currency`; null when no price is in force.",
    )
    net_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        source="price.net_price",
        help_text="After the term discount and the reseller's discount.",
    )


class RenewalOptionsSerializer(serializers.Serializer):
    """GET /api/v1/systems/{serial_number}/renewal-options/ (SPEC §6.2)."""

    serial_number = serializers.CharField(source="system.serial_number", read_only=True)
    on = serializers.DateField(read_only=True)
    renewable = serializers.BooleanField(read_only=True)
    reason = serializers.CharField(
        allow_null=True, read_only=True, help_text="Why it cannot be renewed; null when it can."
    )
    requires_um_coverage = serializers.BooleanField(read_only=True)
    requires_tts_coverage = serializers.BooleanField(read_only=True)
    currency = serializers.CharField(read_only=True, help_text="USD (NA) or GBP (EMEA).")
    options = RenewalOptionSerializer(
        many=True,
        read_only=True,
        help_text="Every allowed term (12, 13, 14, 15, 24, 36) in that order; empty if none.",
    )

    @staticmethod
    def row(system: System, on: date) -> dict:
        """Renewal terms and dates from `rules.renewal_options`, or the rule's refusal."""
        facts = system_facts_load(system)
        try:
            options, reason = rules.renewal_options(facts, on), None
        except RuleViolation as refusal:
            options, reason = (), refusal.message
        pricing = pricing_for(system.reseller, on)
        return {
            "system": system,
            "on": on,
            "renewable": reason is None,
            "reason": reason,
            "requires_um_coverage": rules.requires_um_coverage(system.um_clients),
            "requires_tts_coverage": rules.requires_tts_coverage(system.tts_channels),
            "currency": pricing.currency,
            "options": [
                {
                    "term_months": option.term_months,
                    "starts_on": option.starts_on,
                    "ends_on": option.ends_on,
                    "price": pricing.renewal(system, option.term_months),
                }
                for option in options
            ],
        }


class CustomerSerializer(serializers.ModelSerializer):
    reseller = serializers.CharField(
        source="reseller.account_number", read_only=True, help_text="Account number."
    )

    class Meta:
        model = Customer
        fields = ["id", "name", "reseller", "site_address", "country"]
        read_only_fields = fields


class ContractSerializer(serializers.ModelSerializer):
    """One XpressCare purchase and the coverage period it booked."""

    number = serializers.CharField(read_only=True)
    serial_number = serializers.CharField(source="system.serial_number", read_only=True)
    customer = serializers.IntegerField(source="system.customer_id", read_only=True)
    customer_name = serializers.CharField(source="system.customer_name", read_only=True)
    product = serializers.CharField(source="system.product.name", read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "serial_number",
            "customer",
            "customer_name",
            "product",
            "kind",
            "booked_on",
            "starts_on",
            "term_months",
            "ends_on",
            "covers_um_clients",
            "covers_tts",
            "po_number",
        ]
        read_only_fields = fields


class RenewalDecisionSerializer(serializers.Serializer):
    """GET/PUT /api/v1/systems/{serial_number}/renewal-decision/ (SPEC §6.2, §1.8)."""

    decision = serializers.ChoiceField(
        source="kind",
        choices=list(DECISION_LABELS.items()),
        help_text="`will_not_renew` (with a reason) or `remind_later` (until a date).",
    )
    reason = serializers.ChoiceField(
        choices=list(REASONS.items()),
        required=False,
        allow_blank=True,
        default="",
        help_text="Why it will not be renewed (will_not_renew only).",
    )
    note = TextField(required=False, allow_blank=True, max_length=2000, default="")
    until = IsoDateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="remind_later: after the reseller's today, no later than the renew-by date.",
    )
    chain_ends_on = serializers.DateField(
        read_only=True, help_text="The coverage end the decision was made for."
    )
    decided_by = serializers.CharField(source="decided_by.username", read_only=True)
    decided_at = serializers.DateTimeField(read_only=True)
