"""Back office of bulletins (publish) and downloads (attach service packs and hot fixes)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import CharField, Count, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from notifications.models import Email
from partnerxpress.core.admin import AuditedActionsMixin
from upgrades import services
from upgrades.models import Bulletin, Download


@admin.register(Bulletin)
class BulletinAdmin(AuditedActionsMixin, SimpleHistoryAdmin):
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

    @admin.display(description="notices", ordering="notice_count")
    def notices(self, bulletin: Bulletin) -> int:
        return bulletin.notice_count or 0

    def save_model(self, request, obj: Bulletin, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected bulletins (e-mail resellers with eligible systems)")
    def publish(self, request, queryset) -> None:
        published = [b for b in queryset if services.bulletin_publish(bulletin=b, by=request.user)]
        skipped = queryset.count() - len(published)
        if published:
            self.message_user(
                request,
                f"Published {len(published)}; notices go to each reseller with eligible systems.",
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(request, f"{skipped} already published: nothing sent again.")


@admin.register(Download)
class DownloadAdmin(AuditedActionsMixin, SimpleHistoryAdmin):
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
