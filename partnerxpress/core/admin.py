"""Shared admin pieces: the audit trail, history that is shown but never written back, and
records the rules have finished with, which admin shows and does not edit.

Adding, changing and deleting through admin forms is logged by Django itself (and by
django-simple-history on the models that keep a history); actions on a selection are not, so
`AuditedActionsMixin` logs one entry per selected object, and the admin log is a page of its own.
"""

from __future__ import annotations

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from partnerxpress.core.errors import RuleViolation


def _audited(action, description: str):
    def run(model_admin, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        response = action(model_admin, request, queryset)
        if isinstance(response, TemplateResponse):
            return response  # a confirmation page: nothing was done yet
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


class _HistoryChanges(HistoricalRecordContextHelper):
    """History's "Changes" column: an empty value reads "—", not "None", and an empty
    reference not "Deleted user (pk=None)"."""

    def prepare_delta_change_value(self, change, value):
        if value is None or (isinstance(value, DeletedObject) and value.pk is None):
            return "—"
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """Every version of a record can be read; none is written back.

    django-simple-history's Revert saves old values with save(), around the services and their
    rules (it un-booked orders); SIMPLE_HISTORY_REVERT_DISABLED only hides its button, so the
    version page refuses to save here as well.
    """

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("Old versions are shown, never restored.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return _HistoryChanges(self.model, historical_record)


class LockedRecordsMixin:
    """Records that change only through their services, or not at all any more.

    `locked_reason(obj)` says why (shown at the top of the page); a locked record's page has no
    Save or Delete button, every field is read-only and a POST to it is refused.
    """

    change_form_template = "admin/locked_change_form.html"

    def locked_reason(self, obj) -> str:
        return ""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and self.locked_reason(obj):
            fields = (field.name for field in self.model._meta.fields if not field.auto_created)
            readonly += [name for name in fields if name not in readonly]
        return readonly

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and self.locked_reason(obj):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        reason = self.locked_reason(obj) if obj is not None else ""
        if reason and request.method not in ("GET", "HEAD"):
            raise PermissionDenied(reason)
        if reason:
            extra_context = {
                **(extra_context or {}),
                "locked_reason": reason,
                "show_save": False,
                "show_save_and_continue": False,
                "show_save_and_add_another": False,
                "show_delete": False,
            }
        return super().change_view(request, object_id, form_url, extra_context)


class RefusalsAsMessagesMixin:
    """A service's refusal while saving or deleting (a rule checked again under lock, after the
    form was valid) is shown as a message on the page, not as a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RuleViolation as refused:
            self.message_user(request, refused.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except RuleViolation as refused:
            self.message_user(request, refused.message, messages.ERROR)
            meta = self.model._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[object_id])
            return HttpResponseRedirect(url)


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


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """django-axes' page of sign-in attempts, its clean-up action mended: axes reads the
    request's attempt time, which it sets only on sign-in requests (a 500 from admin)."""

    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request, queryset):
        request.axes_attempt_time = timezone.now()
        return super().cleanup_expired_attempts(request, queryset)


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
