"""Back office for the records coverage depends on: customers, products, releases and systems.

Every write goes through contracts.services (records), which apply the rules: a release belongs
to its system's product, a system with contracts keeps its product and reseller and is never
deleted, a customer with systems stays with its reseller. Forms show a refusal on its field.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from contracts import rules, services
from contracts.models import Contract, Customer, Product, Release, RenewalDecision, System
from partnerxpress.core.admin import (
    AuditedActionsMixin,
    HistoryAdmin,
    LockedRecordsMixin,
    RefusalsAsMessagesMixin,
)
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.forms import add_rule_error


def _adopt(obj: Model, saved: Model) -> None:
    """Admin goes on with its own instance (log, redirect): give it the saved row's identity."""
    obj.pk = saved.pk
    obj._state.adding = False


def _changes(obj: Model, form: forms.ModelForm) -> dict:
    return {name: getattr(obj, name) for name in form.changed_data}


class SystemInline(admin.TabularInline):
    """A customer's systems, shown; each is changed on its own page, through the rules."""

    model = System
    fields = ["system_link", "product", "release", "um_clients", "tts_channels", "chain_ends_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # “Add a system” at the top of the page: the system form applies the rules

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="system")
    def system_link(self, system: System) -> str:
        url = reverse("admin:contracts_system_change", args=[system.pk])
        return format_html('<a href="{}">{}</a>', url, system.serial_number)


@admin.register(Customer)
class CustomerAdmin(RefusalsAsMessagesMixin, HistoryAdmin):
    change_form_template = "admin/contracts/customer/change_form.html"
    list_display = ["name", "reseller", "country", "system_count"]
    list_filter = ["reseller__region"]
    search_fields = ["name", "reseller__name", "reseller__account_number"]
    autocomplete_fields = ["reseller"]
    list_select_related = ["reseller"]
    inlines = [SystemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(system_count=Count("systems"))

    def get_readonly_fields(self, request, obj=None):
        # Its systems and their coverage belong to the reseller (services.customer_update).
        return ["reseller"] if obj is not None and obj.systems.exists() else []

    @admin.display(description="systems", ordering="system_count")
    def system_count(self, customer: Customer) -> int:
        return customer.system_count

    def save_model(self, request, obj: Customer, form, change) -> None:
        if change:
            services.customer_update(customer=obj, by=request.user, **_changes(obj, form))
        else:
            fields = {name: form.cleaned_data[name] for name in services.records.CUSTOMER_FIELDS}
            _adopt(obj, services.customer_create(by=request.user, **fields))


class ReleaseForm(forms.ModelForm):
    """A release's version identifies it wherever systems run it: fixed once one does."""

    class Meta:
        model = Release
        fields = ["product", "version", "released_on"]

    def clean_version(self) -> str:
        version = self.cleaned_data["version"]
        release = self.instance
        if release.pk and version != release.version and release.systems.exists():
            raise forms.ValidationError(
                f"Systems run {release}: its version cannot change. Add the new release instead."
            )
        return version


class ReleaseInline(admin.TabularInline):
    model = Release
    form = ReleaseForm
    fields = ["version", "released_on"]
    extra = 0


@admin.register(Product)
class ProductAdmin(RefusalsAsMessagesMixin, HistoryAdmin):
    list_display = ["name", "is_xpresscare_eligible"]
    search_fields = ["name"]
    inlines = [ReleaseInline]

    def get_readonly_fields(self, request, obj=None):
        # Eligibility decides every contract of the product (services.product_update).
        if obj is not None and Contract.objects.filter(system__product=obj).exists():
            return ["is_xpresscare_eligible"]
        return []

    def save_model(self, request, obj: Product, form, change) -> None:
        if change:
            services.product_update(product=obj, by=request.user, **_changes(obj, form))
        else:
            fields = {name: form.cleaned_data[name] for name in services.records.PRODUCT_FIELDS}
            _adopt(obj, services.product_create(by=request.user, **fields))


@admin.register(Release)
class ReleaseAdmin(HistoryAdmin):
    form = ReleaseForm
    list_display = ["__str__", "product", "version", "released_on"]
    list_filter = ["product"]
    search_fields = ["version", "product__name"]
    ordering = ["product__name", "-sort_key"]
    list_select_related = ["product"]

    def get_readonly_fields(self, request, obj=None):
        return ["product"] if obj is not None else []  # a release never moves to another product


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


class SystemForm(forms.ModelForm):
    """The system's record; the rules of services.system_check decide, and say why on a field."""

    class Meta:
        model = System
        fields = list(services.records.SYSTEM_RECORD_FIELDS)

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds the form's values
        if not self.errors:
            try:
                services.system_check(self.instance)
            except RuleViolation as refused:
                add_rule_error(self, refused)


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

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="contract")
    def number_link(self, contract: Contract) -> str:
        url = reverse("admin:contracts_contract_change", args=[contract.pk])
        return format_html('<a href="{}">{}</a>', url, contract.number)


@admin.register(System)
class SystemAdmin(AuditedActionsMixin, RefusalsAsMessagesMixin, HistoryAdmin):
    form = SystemForm
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
    fields = [*services.records.SYSTEM_RECORD_FIELDS, *readonly_fields]
    inlines = [ContractInline]

    @admin.display(description="status today")
    def status(self, system: System) -> str:
        return rules.STATUS_LABELS[system.status_on(timezone.localdate())]

    def save_model(self, request, obj: System, form, change) -> None:
        if change:
            services.system_update(system=obj, by=request.user, **_changes(obj, form))
        else:
            _adopt(obj, services.system_create(by=request.user, **form.cleaned_data))

    def delete_model(self, request, obj: System) -> None:
        services.system_delete(system=obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for system in queryset:
            try:
                services.system_delete(system=system, by=request.user)
            except RuleViolation as refused:
                self.message_user(request, refused.message, messages.ERROR)


@admin.register(RenewalDecision)
class RenewalDecisionAdmin(LockedRecordsMixin, admin.ModelAdmin):
    """Every renewal decision and withdrawal, with who and when (SPEC §1.8). Staff record them
    on a reseller's behalf from the system's page in the portal, through the same service."""

    list_display = [
        "system",
        "kind",
        "reason",
        "until",
        "chain_ends_on",
        "decided_by",
        "decided_at",
        "withdrawn_at",
    ]
    list_filter = ["kind", "reason", ("withdrawn_at", admin.EmptyFieldListFilter)]
    search_fields = ["system__serial_number", "system__customer_name", "note"]
    date_hierarchy = "decided_at"
    list_select_related = ["system", "decided_by"]

    def locked_reason(self, obj) -> str:
        return (
            "Decisions are recorded and withdrawn by the reseller (or by staff for them) on the "
            "system's page in the portal; each one is kept as it was made."
        )

    def has_add_permission(self, request) -> bool:
        return False
