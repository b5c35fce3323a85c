"""Back office for regions, resellers, their users and their requests for contracts access."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.utils.timezone import localtime

from contracts import services
from contracts.models import AccessRequest, Region, Reseller, User
from partnerxpress.core.admin import AuditedActionsMixin, HistoryAdmin, LockedRecordsMixin
from partnerxpress.core.admin_forms import (
    Confirmation,
    Recipient,
    confirm_action,
    is_confirmed,
)
from partnerxpress.core.locales import moment_text


@admin.register(Region)
class RegionAdmin(HistoryAdmin):
    list_display = ["code", "name", "time_zone"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request) -> bool:
        return False  # NA and EMEA come with the product: currency and hours follow the code

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []


@admin.register(Reseller)
class ResellerAdmin(HistoryAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        # The region decides the reseller's "today", currency and support hours.
        if obj is not None and obj.systems.exists():
            return ["region"]
        return []


def grant_confirmation(users: list[User]) -> Confirmation:
    """Who a grant will e-mail: each selected reseller user without access, with an address."""
    waiting = [user for user in users if user.reseller_id and not user.has_contracts_access]
    notes = [
        f"{user.username} has no e-mail address: access is granted, nobody is told."
        for user in waiting
        if not user.email
    ]
    skipped = len(users) - len(waiting)
    if skipped:
        notes.append(f"{skipped} selected user(s) have access already or are staff: unchanged.")
    return Confirmation(
        recipients=[
            Recipient(f"{user.get_full_name() or user.username} <{user.email}>", f"{user.reseller}")
            for user in waiting
            if user.email
        ],
        question=f"Grant XpressCare Contracts access to {len(waiting)} user(s)?",
        button="Yes, grant access",
        notes=notes,
    )


@admin.register(User)
class UserAdmin(AuditedActionsMixin, HistoryAdmin, DjangoUserAdmin):
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
    def grant_contracts_access(self, request, queryset: QuerySet[User]):
        users = list(queryset.select_related("reseller"))
        if not is_confirmed(request):
            return confirm_action(
                self,
                request,
                queryset,
                action="grant_contracts_access",
                title="Grant XpressCare Contracts access",
                confirmation=grant_confirmation(users),
            )
        granted = sum(
            services.contracts_access_grant(user=user, granted_by=request.user)
            for user in users
            if user.reseller_id
        )
        self.message_user(request, f"Access granted to {granted} user(s); each is e-mailed.")
        return None

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
class AccessRequestAdmin(AuditedActionsMixin, LockedRecordsMixin, HistoryAdmin):
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

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record of who asked, and who granted it when

    def locked_reason(self, obj: AccessRequest) -> str:
        if obj.granted_at:
            by = obj.granted_by or "staff"
            return f"Granted {moment_text(localtime(obj.granted_at))} by {by}."
        return "Requested in the portal: grant it with “Grant XpressCare Contracts access”."

    @admin.display(description="reseller", ordering="user__reseller__name")
    def reseller(self, access_request: AccessRequest):
        return access_request.user.reseller

    @admin.display(description="message")
    def short_message(self, access_request: AccessRequest) -> str:
        text = access_request.message
        return text if len(text) <= 60 else text[:59] + "…"

    @admin.action(description="Grant XpressCare Contracts access", permissions=["change"])
    def grant(self, request, queryset):
        users = list({access.user for access in queryset.select_related("user__reseller")})
        if not is_confirmed(request):
            return confirm_action(
                self,
                request,
                queryset,
                action="grant",
                title="Grant XpressCare Contracts access",
                confirmation=grant_confirmation(users),
            )
        granted = sum(
            services.contracts_access_grant(user=user, granted_by=request.user) for user in users
        )
        level = messages.SUCCESS if granted else messages.INFO
        self.message_user(request, f"Access granted to {granted} user(s); each is e-mailed.", level)
        return None
