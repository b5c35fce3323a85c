"""Back office for XpressCare contracts: booking purchases through the rules, the CSV import."""

from __future__ import annotations

import io

from django import forms
from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone

from contracts import services
from contracts.importer import xpresscare_import
from contracts.models import KIND_CHOICES, Contract, System
from partnerxpress.core.admin import AuditedActionsMixin, HistoryAdmin
from partnerxpress.core.admin_forms import service_form_view
from partnerxpress.core.filtering import DateInRangeField


class BookingForm(forms.Form):
    system = forms.ModelChoiceField(
        System.objects.select_related("product", "release"),
        widget=admin.widgets.AutocompleteSelect(Contract._meta.get_field("system"), admin.site),
    )
    kind = forms.ChoiceField(choices=KIND_CHOICES)
    booked_on = DateInRangeField(
        initial=timezone.localdate, help_text="The rules apply as of this date."
    )
    term_months = forms.TypedChoiceField(
        coerce=int, choices=Contract._meta.get_field("term_months").choices
    )
    covers_um_clients = forms.BooleanField(label="UM client coverage", required=False)
    covers_tts = forms.BooleanField(label="TTS coverage", required=False)
    po_number = forms.CharField(label="PO number", max_length=64, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV with the header of the legacy XpressCare export.")

    def clean_file(self):
        """The file as text: UTF-8 (a byte-order mark is allowed)."""
        upload = self.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                f"The file is not UTF-8 text (byte {error.start + 1}): save it as CSV UTF-8."
            ) from None
        return text


@admin.register(Contract)
class ContractAdmin(AuditedActionsMixin, HistoryAdmin):
    list_display = [
        "__str__",
        "system",
        "customer",
        "kind",
        "booked_on",
        "starts_on",
        "ends_on",
        "term_months",
        "covers_um_clients",
        "covers_tts",
        "po_number",
    ]
    list_filter = [
        "kind",
        "term_months",
        "covers_um_clients",
        "covers_tts",
        "system__product",
        "system__reseller__region",
    ]
    search_fields = [
        "system__serial_number",
        "system__customer_name",
        "po_number",
        "system__reseller__account_number",
    ]
    date_hierarchy = "starts_on"
    list_select_related = ["system"]
    actions = ["request_letters"]
    readonly_fields = [
        "system",
        "kind",
        "booked_on",
        "starts_on",
        "term_months",
        "ends_on",
        "covers_um_clients",
        "covers_tts",
        "created_at",
    ]
    fields = [*readonly_fields, "po_number"]

    @admin.display(description="customer", ordering="system__customer_name")
    def customer(self, contract: Contract) -> str:
        return contract.system.customer_name

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="contracts_import"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """Booking goes through the booking service, which applies every rule of SPEC §1.3."""
        form = BookingForm(request.POST or None, initial={"system": request.GET.get("system")})

        def book(data: dict) -> str:
            contract = services.contract_book(**data)
            return f"Booked {contract}: {contract.starts_on} to {contract.ends_on}."

        return service_form_view(
            self,
            request,
            form=form,
            title="Book an XpressCare purchase",
            perform=book,
            done_url=reverse("admin:contracts_contract_changelist"),
        )

    def import_view(self, request):
        form = ImportForm(request.POST or None, request.FILES or None)

        def run(data: dict) -> str:
            return xpresscare_import(io.StringIO(data["file"], newline="")).summary()

        return service_form_view(
            self,
            request,
            form=form,
            title="Import XpressCare CSV",
            perform=run,
            done_url=reverse("admin:contracts_contract_changelist"),
            intro="The whole file is applied, or nothing: every wrong row is listed by line.",
        )

    @admin.action(description="Request (or regenerate) confirmation letters, e-mailed to me")
    def request_letters(self, request, queryset) -> None:
        from contracts.services.letters import letter_request

        for contract in queryset:
            letter_request(contract=contract, user=request.user, regenerate=True)
        self.message_user(request, f"{queryset.count()} confirmation letter(s) queued.")

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A cancelled booking's letters go with it; admin never deletes a letter on its own.
        perms_needed.discard("letter")
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj: Contract) -> None:
        services.contract_cancel(contract=obj)

    def delete_queryset(self, request, queryset) -> None:
        for contract in queryset.select_related("system"):
            services.contract_cancel(contract=contract)
