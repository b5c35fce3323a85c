"""Back office for resellers, users, customers, systems and XpressCare contracts."""

from __future__ import annotations

import io

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from contracts import rules, services
from contracts.importer import xpresscare_import
from contracts.models import (
    KIND_CHOICES,
    AccessRequest,
    Contract,
    Customer,
    PriceListEntry,
    Product,
    Region,
    Release,
    Reseller,
    System,
    TermDiscount,
    User,
)
from partnerxpress.core.admin import AuditedActionsMixin
from partnerxpress.core.admin_forms import service_form_view


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "time_zone"]
    search_fields = ["code", "name"]


@admin.register(Reseller)
class ResellerAdmin(SimpleHistoryAdmin):
    list_display = [
        "account_number",
        "name",
        "region",
        "discount_percent",
        "sales_representative",
        "is_active",
    ]
    list_filter = ["region", "is_active"]
    search_fields = ["account_number", "name"]
    autocomplete_fields = ["sales_representative"]
    list_select_related = ["region", "sales_representative"]


@admin.register(User)
class UserAdmin(AuditedActionsMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = [
        "username",
        "email",
        "reseller",
        "has_contracts_access",
        "is_certified_technician",
        "is_contract_representative",
        "is_staff",
    ]
    list_filter = [
        "is_staff",
        "has_contracts_access",
        "is_certified_technician",
        "is_contract_representative",
        "reseller__region",
        "groups",
    ]
    search_fields = ["username", "email", "first_name", "last_name", "reseller__name"]
    autocomplete_fields = ["reseller"]
    list_select_related = ["reseller"]
    readonly_fields = ["contracts_access_granted_at", "contracts_access_granted_by"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            "Reseller",
            {
                "fields": [
                    "reseller",
                    "has_contracts_access",
                    "contracts_access_granted_at",
                    "contracts_access_granted_by",
                    "is_certified_technician",
                    "certification_expires_on",
                    "is_contract_representative",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "email", "reseller"]}),
        *DjangoUserAdmin.add_fieldsets[0:1],
    ]
    actions = ["grant_contracts_access", "revoke_contracts_access"]

    @admin.action(description="Grant XpressCare Contracts access", permissions=["change"])
    def grant_contracts_access(self, request, queryset) -> None:
        granted = sum(
            services.contracts_access_grant(user=user, granted_by=request.user)
            for user in queryset.filter(reseller__isnull=False)
        )
        self.message_user(request, f"Access granted to {granted} user(s); each is e-mailed.")

    @admin.action(description="Revoke XpressCare Contracts access", permissions=["change"])
    def revoke_contracts_access(self, request, queryset) -> None:
        revoked = sum(
            services.contracts_access_revoke(user=user, revoked_by=request.user)
            for user in queryset
        )
        self.message_user(request, f"Access revoked from {revoked} user(s).")

    def save_model(self, request, obj, form, change) -> None:
        # Ticking the box is a grant like the action: who and when are recorded, the user told.
        granting = (
            change and "has_contracts_access" in form.changed_data and obj.has_contracts_access
        )
        if granting:
            obj.has_contracts_access = False
        super().save_model(request, obj, form, change)
        if granting:
            services.contracts_access_grant(user=obj, granted_by=request.user)
            obj.refresh_from_db()


class AccessRequestStateFilter(admin.SimpleListFilter):
    title = "granted"
    parameter_name = "granted"

    def lookups(self, request, model_admin):
        return [("no", "Waiting"), ("yes", "Granted")]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(granted_at__isnull=self.value() == "no")
        return queryset


@admin.register(AccessRequest)
class AccessRequestAdmin(AuditedActionsMixin, SimpleHistoryAdmin):
    list_display = ["user", "reseller", "requested_at", "short_message", "granted_at", "granted_by"]
    list_filter = [AccessRequestStateFilter, "user__reseller__region", "requested_at"]
    search_fields = ["user__username", "user__email", "user__reseller__name", "message"]
    list_select_related = ["user__reseller", "granted_by"]
    readonly_fields = ["user", "requested_at", "message", "granted_at", "granted_by"]
    fields = readonly_fields
    date_hierarchy = "requested_at"
    actions = ["grant"]

    def has_add_permission(self, request) -> bool:
        return False  # requests come from the portal's Request access button

    @admin.display(description="reseller", ordering="user__reseller__name")
    def reseller(self, access_request: AccessRequest):
        return access_request.user.reseller

    @admin.display(description="message")
    def short_message(self, access_request: AccessRequest) -> str:
        text = access_request.message
        return text if len(text) <= 60 else text[:59] + "…"

    @admin.action(description="Grant XpressCare Contracts access", permissions=["change"])
    def grant(self, request, queryset) -> None:
        users = {access_request.user for access_request in queryset.select_related("user")}
        granted = sum(
            services.contracts_access_grant(user=user, granted_by=request.user) for user in users
        )
        level = messages.SUCCESS if granted else messages.INFO
        self.message_user(request, f"Access granted to {granted} user(s); each is e-mailed.", level)


class SystemInline(admin.TabularInline):
    model = System
    fields = ["serial_number", "product", "release", "um_clients", "tts_channels", "chain_ends_on"]
    readonly_fields = ["chain_ends_on"]
    autocomplete_fields = ["release"]
    show_change_link = True
    extra = 0


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "reseller", "country", "system_count"]
    list_filter = ["reseller__region"]
    search_fields = ["name", "reseller__name", "reseller__account_number"]
    autocomplete_fields = ["reseller"]
    list_select_related = ["reseller"]
    inlines = [SystemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(system_count=Count("systems"))

    @admin.display(description="systems", ordering="system_count")
    def system_count(self, customer: Customer) -> int:
        return customer.system_count


class ReleaseInline(admin.TabularInline):
    model = Release
    fields = ["version", "released_on"]
    extra = 0


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ["name", "is_xpresscare_eligible"]
    search_fields = ["name"]
    inlines = [ReleaseInline]


@admin.register(Release)
class ReleaseAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "product", "version", "released_on"]
    list_filter = ["product"]
    search_fields = ["version", "product__name"]
    ordering = ["product__name", "-sort_key"]
    list_select_related = ["product"]


class ContractInline(admin.TabularInline):
    model = Contract
    fields = [
        "number_link",
        "kind",
        "booked_on",
        "starts_on",
        "ends_on",
        "term_months",
        "covers_um_clients",
        "covers_tts",
        "po_number",
    ]
    readonly_fields = fields
    ordering = ["starts_on"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # purchases are booked through the booking page, which applies the rules

    @admin.display(description="contract")
    def number_link(self, contract: Contract) -> str:
        from django.utils.html import format_html

        url = reverse("admin:contracts_contract_change", args=[contract.pk])
        return format_html('<a href="{}">{}</a>', url, contract.number)


class StatusFilter(admin.SimpleListFilter):
    title = "status today"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(status.value, rules.STATUS_LABELS[status]) for status in rules.Status]

    def queryset(self, request, queryset):
        from contracts.coverage_sql import systems_with_status

        if self.value() in set(rules.Status):
            return systems_with_status(queryset, rules.Status(self.value()), timezone.localdate())
        return queryset


@admin.register(System)
class SystemAdmin(AuditedActionsMixin, SimpleHistoryAdmin):
    list_display = [
        "serial_number",
        "customer",
        "reseller",
        "product",
        "release",
        "status",
        "chain_ends_on",
    ]
    list_filter = [StatusFilter, "product", "reseller__region"]
    search_fields = [
        "serial_number",
        "customer__name",
        "reseller__account_number",
        "reseller__name",
    ]
    autocomplete_fields = ["customer", "release"]
    list_select_related = ["customer", "reseller", "product", "release"]
    readonly_fields = [
        "chain_starts_on",
        "chain_ends_on",
        "prior_chain_starts_on",
        "prior_chain_ends_on",
    ]
    fields = [
        "serial_number",
        "customer",
        "product",
        "release",
        "installed_on",
        "um_clients",
        "tts_channels",
        *readonly_fields,
    ]
    inlines = [ContractInline]

    @admin.display(description="status today")
    def status(self, system: System) -> str:
        return rules.STATUS_LABELS[system.status_on(timezone.localdate())]


class BookingForm(forms.Form):
    system = forms.ModelChoiceField(
        System.objects.select_related("product", "release"),
        widget=admin.widgets.AutocompleteSelect(Contract._meta.get_field("system"), admin.site),
    )
    kind = forms.ChoiceField(choices=KIND_CHOICES)
    booked_on = forms.DateField(
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


@admin.register(Contract)
class ContractAdmin(AuditedActionsMixin, SimpleHistoryAdmin):
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
            text = io.TextIOWrapper(data["file"].file, encoding="utf-8-sig", newline="")
            return xpresscare_import(text).summary()

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
        from notifications.services.letters import letter_request

        for contract in queryset:
            letter_request(contract=contract, user=request.user, regenerate=True)
        self.message_user(request, f"{queryset.count()} confirmation letter(s) queued.")

    def delete_model(self, request, obj: Contract) -> None:
        services.contract_cancel(contract=obj)

    def delete_queryset(self, request, queryset) -> None:
        for contract in queryset.select_related("system"):
            services.contract_cancel(contract=contract)


@admin.register(PriceListEntry)
class PriceListEntryAdmin(SimpleHistoryAdmin):
    """The price list (SPEC §1.7): add an entry with a later `effective_from` to change prices;
    submitted orders keep the entry they were priced with."""

    list_display = [
        "product",
        "currency",
        "effective_from",
        "xpresscare_annual",
        "um_client_annual",
        "tts_channel_annual",
        "upgrade",
    ]
    list_filter = ["product", "currency"]
    date_hierarchy = "effective_from"
    list_select_related = ["product"]


@admin.register(TermDiscount)
class TermDiscountAdmin(SimpleHistoryAdmin):
    """Discounts by term (24 months 5 %, 36 months 10 % unless staff change them)."""

    list_display = ["term_months", "percent"]
