"""Back office of confirmation letters (SPEC §1.6): requested, regenerated, opened."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from contracts.models import Contract, Letter, LetterRequest
from contracts.services.letters import letter_request
from partnerxpress.core.admin import AuditedActionsMixin, LockedRecordsMixin
from partnerxpress.core.admin_forms import service_form_view


class LetterRequestInline(admin.TabularInline):
    model = LetterRequest
    fields = ["user", "requested_at", "emailed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class LetterRequestForm(forms.Form):
    contract = forms.ModelChoiceField(
        Contract.objects.select_related("system"),
        widget=admin.widgets.AutocompleteSelect(Letter._meta.get_field("contract"), admin.site),
    )


@admin.register(Letter)
class LetterAdmin(AuditedActionsMixin, LockedRecordsMixin, admin.ModelAdmin):
    list_display = [
        "contract",
        "serial_number",
        "customer",
        "status",
        "dated",
        "pages",
        "render_ms",
        "attempts",
        "requested_at",
        "download",
    ]
    list_filter = ["status", "generated_at", "contract__system__reseller__region"]
    search_fields = [
        "contract__system__serial_number",
        "contract__system__customer_name",
        "contract__system__reseller__account_number",
        "contract__po_number",
    ]
    list_select_related = ["contract__system"]
    # The PDF is private (no URL): shown through the checked download view, never as a file.
    readonly_fields = [
        *(field.name for field in Letter._meta.fields if field.name not in ("id", "file")),
        "download",
    ]
    fields = readonly_fields
    inlines = [LetterRequestInline]
    actions = ["regenerate"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # what was sent to the reseller; "Regenerate" makes it again

    def locked_reason(self, letter: Letter) -> str:
        return "Workers generate letters from the contract: “Regenerate” makes this one again."

    @admin.display(description="serial number")
    def serial_number(self, letter: Letter) -> str:
        return letter.contract.system.serial_number

    @admin.display(description="customer")
    def customer(self, letter: Letter) -> str:
        return letter.contract.system.customer_name

    @admin.display(description="PDF")
    def download(self, letter: Letter) -> str:
        if letter.status != Letter.Status.READY:
            return letter.last_error[:80] or "—"
        url = reverse("contracts:letter-download", args=[letter.pk]) + "?inline=1"
        return format_html('<a href="{}">Open</a>', url)

    @admin.action(description="Regenerate the letters of the selected contracts, e-mail me")
    def regenerate(self, request, queryset) -> None:
        contracts = {letter.contract for letter in queryset.select_related("contract")}
        for contract in contracts:
            letter_request(contract=contract, user=request.user, regenerate=True)
        self.message_user(
            request, f"{len(contracts)} letter(s) queued; they will be e-mailed to you."
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Requesting a letter goes through the service: one letter per contract version."""
        form = LetterRequestForm(
            request.POST or None, initial={"contract": request.GET.get("contract")}
        )

        def request_letter(data: dict) -> str:
            letter = letter_request(contract=data["contract"], user=request.user)
            return f"Letter for {data['contract']}: {letter.get_status_display()}; e-mailed to you."

        return service_form_view(
            self,
            request,
            form=form,
            title="Request a confirmation letter",
            perform=request_letter,
            done_url=reverse("admin:contracts_letter_changelist"),
        )
