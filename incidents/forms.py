"""The portal's quote and open-case form."""

from __future__ import annotations

from django import forms
from django.http import Http404

from contracts.models import System
from contracts.selectors import system_get
from incidents import rules
from incidents.models import Case

MAX_ESTIMATE_MINUTES = 30 * 24 * 60


class CaseForm(forms.Form):
    """Quote (system, severity, estimated time) and, when opening, what the case is about.

    `opening` says which button was pressed: a quote needs only the first three fields.
    """

    serial_number = forms.CharField(label="System serial number", max_length=64)
    severity = forms.ChoiceField(
        choices=Case.Severity.choices, initial=Case.Severity.NORMAL, widget=forms.RadioSelect
    )
    estimated_minutes = forms.IntegerField(
        label="Estimated time (minutes)",
        min_value=0,
        max_value=MAX_ESTIMATE_MINUTES,
        initial=60,
        help_text="For the quote only: the bill counts the time support works.",
    )
    summary = forms.CharField(max_length=200, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    contact_phone = forms.CharField(
        label="Call-back phone", max_length=40, required=False, help_text="Where support calls you."
    )
    po_number = forms.CharField(
        label="PO number", max_length=64, required=False, help_text="For a billed case."
    )
    accept_next_opening = forms.BooleanField(required=False)
    # What the quote on the page said, so the case opens on those terms or not at all.
    quoted_kind = forms.ChoiceField(
        choices=[(kind.value, kind.value) for kind in rules.CaseKind], required=False
    )
    quoted_hourly_rate = forms.DecimalField(max_digits=8, decimal_places=2, required=False)

    def __init__(self, *args, user, opening: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.opening = opening
        self.system: System | None = None
        if opening:
            for name in ("summary", "contact_phone"):
                self.fields[name].required = True

    def clean_serial_number(self) -> str:
        serial = self.cleaned_data["serial_number"].strip()
        try:
            self.system = system_get(self.user, serial)
        except Http404:
            raise forms.ValidationError(
                f"None of your customers' systems has the serial number “{serial}”."
            ) from None
        return serial

    def clean(self) -> dict:
        data = super().clean()
        if self.opening and not data.get("quoted_kind"):
            raise forms.ValidationError("Get a quote before opening the case.")
        return data

    @property
    def system_down(self) -> bool:
        return self.cleaned_data["severity"] == Case.Severity.SYSTEM_DOWN

    @property
    def quoted(self) -> rules.QuotedTerms | None:
        kind = self.cleaned_data.get("quoted_kind")
        if not kind:
            return None
        return rules.QuotedTerms(rules.CaseKind(kind), self.cleaned_data.get("quoted_hourly_rate"))
