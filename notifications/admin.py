from django.contrib import admin

from notifications.models import Email
from notifications.services import email_queue


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "to",
        "kind",
        "reseller",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["to", "subject", "key", "reseller__name", "reseller__account_number"]
    list_select_related = ["reseller"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Email._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Send failed or waiting e-mails again")
    def send_again(self, request, queryset) -> None:
        retry = queryset.filter(status__in=[Email.Status.FAILED, Email.Status.PENDING])
        ids = list(retry.values_list("pk", flat=True))
        retry.update(status=Email.Status.PENDING, attempts=0)
        for email_id in ids:
            email_queue(email_id)
        self.message_user(request, f"{len(ids)} e-mail(s) queued again.")
