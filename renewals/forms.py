"""Portal order forms: their shape only; every rule is applied by renewals.services."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django import forms
from django.utils.formats import date_format

from contracts import rules as contract_rules
from contracts.selectors import PriceTable, price_key
from renewals import rules
from renewals.quotes import RenewalChoice
from renewals.rules import LineRequest

PO_HELP = "Your purchase order number; submitting the same number again finds this order."


class RenewalOrderForm(forms.Form):
    """Systems of one customer to renew, each with a term from its quote and its add-ons."""

    po_number = forms.CharField(label="PO number", max_length=64, help_text=PO_HELP)

    def __init__(
        self,
        *args,
        quotes: Sequence[RenewalChoice],
        prices: Mapping[int, PriceTable | None] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.initial_quotes = list(quotes)
        self.quotes = [quote for quote in quotes if quote.options]
        self.prices = prices or {}  # system pk → its price table (contracts.selectors.Pricing)
        for quote in self.quotes:
            pk, entitlement = quote.system.pk, quote.entitlement
            self.fields[f"system_{pk}"] = forms.BooleanField(
                label=quote.system.serial_number, required=False
            )
            self.fields[f"term_{pk}"] = forms.TypedChoiceField(
                label="Term",
                coerce=int,
                initial=12,
                widget=forms.Select(attrs={"data-price-term": ""}),
                choices=[
                    (
                        option.term_months,
                        f"{option.term_months} months · {date_format(option.starts_on)} "
                        f"to {date_format(option.ends_on)}",
                    )
                    for option in quote.options
                ],
            )
            # Required add-ons start ticked; the rules refuse an order that unticks them.
            self.fields[f"um_{pk}"] = forms.BooleanField(
                label="UM clients", required=False, initial=entitlement.requires_um_coverage
            )
            self.fields[f"tts_{pk}"] = forms.BooleanField(
                label="Text-to-speech", required=False, initial=entitlement.requires_tts_coverage
            )

    @classmethod
    def initial_from(
        cls, query: Mapping, quotes: Sequence[RenewalChoice], terms: Mapping[int, int] | None = None
    ) -> dict:
        """Initial values from a query string: `?system=SERIAL` links, or the form sent by GET.

        `terms` (system pk → months) applies a co-term suggestion: those systems, those terms.
        """
        from_form = "po_number" in query  # the form itself, sent back to apply a suggestion
        chosen = set(query.getlist("system")) if hasattr(query, "getlist") else set()
        initial: dict = {"po_number": query.get("po_number", "")}
        for quote in quotes:
            pk, serial = quote.system.pk, quote.system.serial_number
            initial[f"system_{pk}"] = serial in chosen or bool(query.get(f"system_{pk}"))
            if query.get(f"term_{pk}", "").isdigit():
                initial[f"term_{pk}"] = int(query[f"term_{pk}"])
            if from_form:
                initial[f"um_{pk}"] = bool(query.get(f"um_{pk}"))
                initial[f"tts_{pk}"] = bool(query.get(f"tts_{pk}"))
            if terms and pk in terms:
                initial[f"system_{pk}"], initial[f"term_{pk}"] = True, terms[pk]
        return initial

    def chosen(self) -> list[RenewalChoice]:
        """The quotes of the systems ticked (bound: the data; unbound: the initial values)."""
        if self.is_bound:
            return [q for q in self.quotes if self[f"system_{q.system.pk}"].data]
        return [q for q in self.quotes if self.initial.get(f"system_{q.system.pk}")]

    def chosen_lines(self) -> list[LineRequest]:
        """The systems ticked, with the term and add-ons the form shows (not validated)."""
        return [
            LineRequest(
                serial_number=choice.system.serial_number,
                term_months=int(self[f"term_{choice.system.pk}"].value()),
                covers_um_clients=bool(self[f"um_{choice.system.pk}"].value()),
                covers_tts=bool(self[f"tts_{choice.system.pk}"].value()),
            )
            for choice in self.chosen()
        ]

    def all_lines(self) -> list[LineRequest]:
        """Every renewable system for 12 months with its required add-ons."""
        return [
            LineRequest(
                serial_number=choice.system.serial_number,
                term_months=12,
                covers_um_clients=choice.entitlement.requires_um_coverage,
                covers_tts=choice.entitlement.requires_tts_coverage,
            )
            for choice in self.quotes
        ]

    def clean(self) -> dict:
        data = super().clean()
        if self.quotes and not any(data.get(f"system_{q.system.pk}") for q in self.quotes):
            raise forms.ValidationError("Choose at least one system to renew.")
        return data

    def lines(self) -> list[LineRequest]:
        data = self.cleaned_data
        return [
            LineRequest(
                serial_number=quote.system.serial_number,
                term_months=data[f"term_{quote.system.pk}"],
                covers_um_clients=data[f"um_{quote.system.pk}"],
                covers_tts=data[f"tts_{quote.system.pk}"],
            )
            for quote in self.quotes
            if data.get(f"system_{quote.system.pk}")
        ]

    def rows(self) -> list[dict]:
        """One row per renewable system, with the price of what it shows, for the template."""
        return [
            {
                "quote": quote,
                "chosen": self[f"system_{quote.system.pk}"],
                "term": self[f"term_{quote.system.pk}"],
                "um": self[f"um_{quote.system.pk}"],
                "tts": self[f"tts_{quote.system.pk}"],
                "price": self._price(quote.system.pk),
            }
            for quote in self.quotes
        ]

    def total(self) -> Decimal | None:
        """What the ticked lines come to, as the form shows them (None if one has no price)."""
        prices = [self._price(quote.system.pk) for quote in self.chosen()]
        if None in prices:
            return None
        return sum((Decimal(price["net"]) for price in prices), Decimal("0.00"))

    def _price(self, pk: int) -> dict[str, str] | None:
        table = self.prices.get(pk)
        if table is None:
            return None
        try:
            term = int(self[f"term_{pk}"].value())
        except (TypeError, ValueError):
            return None
        um, tts = bool(self[f"um_{pk}"].value()), bool(self[f"tts_{pk}"].value())
        return table.get(price_key(term, um, tts))


class SystemOrderForm(forms.Form):
    """A plan or a paid software upgrade for one system."""

    serial_number = forms.CharField(label="Serial number", max_length=64)
    term_months = forms.TypedChoiceField(
        label="Term",
        coerce=int,
        initial=12,
        choices=[(term, f"{term} months") for term in contract_rules.TERMS["plan"]],
        widget=forms.Select(attrs={"data-price-term": ""}),
    )
    covers_um_clients = forms.BooleanField(
        label="XpressCare for UM clients",
        required=False,
        widget=forms.CheckboxInput(attrs={"data-price-um": ""}),
    )
    covers_tts = forms.BooleanField(
        label="XpressCare for text-to-speech",
        required=False,
        widget=forms.CheckboxInput(attrs={"data-price-tts": ""}),
    )
    po_number = forms.CharField(label="PO number", max_length=64, help_text=PO_HELP)

    def lines(self) -> list[LineRequest]:
        data = self.cleaned_data
        return [
            LineRequest(
                serial_number=data["serial_number"],
                term_months=data["term_months"],
                covers_um_clients=data["covers_um_clients"],
                covers_tts=data["covers_tts"],
            )
        ]


class NoChargeUpgradeForm(forms.Form):
    """A no-charge upgrade: the serial number and the customer's name, checked against records."""

    serial_number = forms.CharField(label="Serial number", max_length=64)
    customer_name = forms.CharField(
        label="Customer name", max_length=200, help_text="As registered for this system."
    )
    po_number = forms.CharField(label="PO number", max_length=64, help_text=PO_HELP)

    def lines(self) -> list[LineRequest]:
        return [LineRequest(serial_number=self.cleaned_data["serial_number"])]


class FindSystemForm(forms.Form):
    serial = forms.CharField(label="Serial number", max_length=64)


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=[("", "All states"), *((s.value, rules.STATE_LABELS[s]) for s in rules.State)],
    )
