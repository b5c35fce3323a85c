"""Back office for the outbox and the monthly renewal e-mail's runs."""

from __future__ import annotations

from django.contrib import admin

from notifications.models import Email
from notifications.services import email_queue
from partnerxpress.core.admin import AuditedActionsMixin, LockedRecordsMixin
from partnerxpress.core.admin_forms import (
    Confirmation,
    Recipient,
    confirm_action,
    is_confirmed,
)

RESENDABLE = [Email.Status.FAILED, Email.Status.PENDING]


def resend_confirmation(emails: list[Email]) -> Confirmation:
    """Who "send again" e-mails: each failed or waiting e-mail of the selection, once more."""
    resend = [email for email in emails if email.status in RESENDABLE]
    skipped = len(emails) - len(resend)
    return Confirmation(
        recipients=[Recipient(email.to, email.subject) for email in resend],
        question=f"Send {len(resend)} e-mail(s) again?",
        notes=[f"{skipped} selected e-mail(s) are sent or being sent: left alone."]
        if skipped
        else [],
    )


@admin.register(Email)
class EmailAdmin(AuditedActionsMixin, LockedRecordsMixin, admin.ModelAdmin):
    list_display = [
        "subject",
        "to",
        "kind",
        "reseller",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error_short",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["to", "subject", "key", "reseller__name", "reseller__account_number"]
    list_select_related = ["reseller"]
    date_hierarchy = "created_at"
    # Never the sealed secrets: staff who may view e-mails must not read a reset link.
    readonly_fields = [field.name for field in Email._meta.fields if field.name != "sealed"]
    actions = ["send_again"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # A locked record shows every field (LockedRecordsMixin): still never the sealed one.
        return [name for name in super().get_readonly_fields(request, obj) if name != "sealed"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # its key makes the e-mail go once: without the row it could go again

    def locked_reason(self, email: Email) -> str:
        return "The outbox's record of an e-mail: “Send failed or waiting e-mails again” resends."

    @admin.display(description="last error")
    def last_error_short(self, email: Email) -> str:
        return email.last_error[:80]

    @admin.action(description="Send failed or waiting e-mails again")
    def send_again(self, request, queryset):
        if not is_confirmed(request):
            return confirm_action(
                self,
                request,
                queryset,
                action="send_again",
                title="Send e-mails again",
                confirmation=resend_confirmation(list(queryset)),
            )
        retry = queryset.filter(status__in=RESENDABLE)
        ids = list(retry.values_list("pk", flat=True))
        retry.update(status=Email.Status.PENDING, attempts=0, next_attempt_at=None)
        for email_id in ids:
            email_queue(email_id)
        self.message_user(request, f"{len(ids)} e-mail(s) queued again.")
        return None
