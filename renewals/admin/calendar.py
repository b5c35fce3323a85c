"""Back office of calendar feeds (SPEC §6.5): who has one on, since when; nothing to edit.

A feed's address is never stored, so there is nothing to show but its owner; staff stop a feed
by deactivating the user or taking contracts access away (its address then answers 404).
"""

from __future__ import annotations

from django.contrib import admin

from renewals.models import CalendarFeed


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "reseller", "created_at"]
    list_select_related = ["user__reseller"]
    search_fields = ["user__username", "user__email", "user__reseller__name"]
    date_hierarchy = "created_at"
    fields = ["user", "created_at"]
    readonly_fields = fields

    @admin.display(ordering="user__reseller__name")
    def reseller(self, feed: CalendarFeed):
        return feed.user.reseller

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
