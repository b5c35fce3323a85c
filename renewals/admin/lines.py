"""Order lines in the back office: read-only, to find orders by system."""

from __future__ import annotations

from django.contrib import admin

from partnerxpress.core.admin import AuditedActionsMixin, HistoryAdmin, LockedRecordsMixin
from renewals.models import OrderLine


@admin.register(OrderLine)
class OrderLineAdmin(AuditedActionsMixin, LockedRecordsMixin, HistoryAdmin):
    """Lines are read-only here; they are listed to search orders by system."""

    list_display = ["order", "system", "term_months", "covers_um_clients", "covers_tts", "contract"]
    list_filter = ["order__kind", "order__state"]
    search_fields = ["system__serial_number", "order__po_number"]
    list_select_related = ["order", "system", "contract"]
    readonly_fields = [
        "order",
        "system",
        "term_months",
        "covers_um_clients",
        "covers_tts",
        "target_release",
        "contract",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def locked_reason(self, line: OrderLine) -> str:
        return f"A line of {line.order}: it changes with its order, on the order's page."
