"""The admin's audit trail: every admin action is written to Django's admin log.

Adding, changing and deleting through admin forms is logged by Django itself (and by
django-simple-history on the models that keep a history); actions on a selection are not, so
`AuditedActionsMixin` logs one entry per selected object, and the admin log is a page of its own.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry


def _audited(action, description: str):
    def run(model_admin, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        response = action(model_admin, request, queryset)
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=model_admin.model._default_manager.filter(pk__in=selected),
            action_flag=CHANGE,
            change_message=f"Action: {description}",
        )
        return response

    run.__name__ = getattr(action, "__name__", "action")
    return run


class AuditedActionsMixin:
    """Logs each run of an admin action, per selected object, with who ran it."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            key: (func if key == "delete_selected" else _audited(func, str(text)), name, text)
            for key, (func, name, text) in actions.items()
        }


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """The admin log, read-only: who added, changed, deleted or ran an action on what."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag", "message"]
    list_filter = ["action_flag", "content_type", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["object_repr", "change_message", "user__username"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]

    @admin.display(description="What")
    def message(self, entry: LogEntry) -> str:
        return entry.get_change_message()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
