"""Back office of bulletins (publish) and downloads (attach service packs and hot fixes)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import CharField, Count, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timezone import localtime

from notifications.models import Email
from partnerxpress.core.admin import AuditedActionsMixin, HistoryAdmin, LockedRecordsMixin
from partnerxpress.core.admin_forms import Confirmation, Recipient, confirm_action, is_confirmed
from partnerxpress.core.locales import moment_text
from upgrades import services
from upgrades.models import Bulletin, Download


def publish_confirmation(bulletins: list[Bulletin]) -> Confirmation:
    """Who publishing these bulletins e-mails now, and what: one notice per person and bulletin."""
    waiting = [bulletin for bulletin in bulletins if bulletin.published_at is None]
    recipients, notes = [], []
    for bulletin in waiting:
        audience = services.bulletin_audience(bulletin)
        if not audience:
            notes.append(f"“{bulletin}”: no reseller has a system it upgrades; nobody is told.")
        for notice in audience:
            count = len(notice.systems)
            what = f"“{bulletin}”: {count} system(s) of {notice.reseller.name} to upgrade"
            recipients += [Recipient(person.email, what) for person in notice.recipients]
            if not notice.recipients:
                notes.append(f"{notice.reseller.name} has nobody to tell ({count} system(s)).")
    notes += [
        f"“{b}” was published before: nothing is sent again." for b in bulletins if b not in waiting
    ]
    return Confirmation(
        recipients=recipients,
        question=f"Publish {len(waiting)} bulletin(s) and e-mail these notices?",
        button="Yes, publish and send",
        notes=notes,
    )


@admin.register(Bulletin)
class BulletinAdmin(AuditedActionsMixin, LockedRecordsMixin, HistoryAdmin):
    list_display = ["title", "release", "created_at", "published_at", "notified_at", "notices"]
    list_filter = ["release__product", ("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "text", "release__version", "release__product__name"]
    autocomplete_fields = ["release"]
    list_select_related = ["release__product"]
    readonly_fields = ["created_by", "published_at", "published_by", "notified_at"]
    fields = ["release", "title", "text", *readonly_fields]
    actions = ["publish"]

    def get_queryset(self, request):
        # Notices in the outbox, found by their key (bulletin:<pk>:…), counted in the same query.
        prefix = Concat(Value("bulletin:"), Cast(OuterRef("pk"), CharField()), Value(":"))
        notices = (
            Email.objects.filter(key__startswith=prefix)
            .order_by()
            .values("kind")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return super().get_queryset(request).annotate(notice_count=Subquery(notices))

    def locked_reason(self, bulletin: Bulletin) -> str:
        if bulletin.published_at is None:
            return ""
        by = bulletin.published_by or "staff"
        return (
            f"Published {moment_text(localtime(bulletin.published_at))} by {by}: "
            "resellers were e-mailed this bulletin, so it no longer changes. Write a new one."
        )

    @admin.display(description="notices", ordering="notice_count")
    def notices(self, bulletin: Bulletin) -> int:
        return bulletin.notice_count or 0

    def save_model(self, request, obj: Bulletin, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected bulletins (e-mail resellers with eligible systems)")
    def publish(self, request, queryset):
        bulletins = list(queryset.select_related("release__product"))
        if not is_confirmed(request):
            return confirm_action(
                self,
                request,
                queryset,
                action="publish",
                title="Publish bulletins",
                confirmation=publish_confirmation(bulletins),
            )
        published = [b for b in bulletins if services.bulletin_publish(bulletin=b, by=request.user)]
        skipped = len(bulletins) - len(published)
        if published:
            self.message_user(
                request,
                f"Published {len(published)}; notices go to each reseller with eligible systems.",
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(request, f"{skipped} already published: nothing sent again.")
        return None


@admin.register(Download)
class DownloadAdmin(AuditedActionsMixin, HistoryAdmin):
    list_display = ["title", "release", "kind", "created_at", "file_link"]
    list_filter = ["kind", "release__product"]
    search_fields = ["title", "description", "release__version", "release__product__name"]
    autocomplete_fields = ["release"]
    list_select_related = ["release__product"]
    readonly_fields = ["file_link", "created_at"]
    fields = ["release", "kind", "title", "description", "file", "file_link", "created_at"]

    @admin.display(description="current file")
    def file_link(self, download: Download) -> str:
        if not download.pk or not download.file:
            return "—"
        # The checked view serves staff too; the file has no public address.
        url = reverse("upgrades:download_file", args=[download.pk])
        return format_html('<a href="{}">{}</a>', url, download.filename)
