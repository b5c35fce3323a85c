"""Back office of the monthly renewal e-mail (SPEC §5): each run's outcome, preview, send now."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from contracts.models import Reseller
from notifications.models import Email
from partnerxpress.core.admin import AuditedActionsMixin, LockedRecordsMixin
from partnerxpress.core.admin_forms import (
    Confirmation,
    Recipient,
    confirm_action,
    is_confirmed,
    service_form_view,
)
from partnerxpress.core.locales import day_text
from renewals.models import DigestRun
from renewals.selectors import digest_preview
from renewals.services.digests import TEMPLATE as DIGEST_TEMPLATE
from renewals.services.digests import DigestPlan, digest_plan, digest_send


def digest_confirmation(plans: list[DigestPlan]) -> Confirmation:
    """Who "send now" e-mails: representatives who have not had the month's e-mail yet."""
    recipients, notes = [], []
    for plan in plans:
        name = plan.reseller.name
        what = f"{name}: renewal e-mail of {day_text(plan.on)}, {len(plan.rows)} system(s)"
        if plan.skip:
            notes.append(f"{name}: nothing is sent. {plan.skip}")
            continue
        recipients += [
            Recipient(f"{user.get_full_name() or user.username} <{user.email}>", what)
            for user in plan.new
        ]
        if plan.already:
            notes.append(f"{name}: {len(plan.already)} representative(s) had it this month.")
    return Confirmation(
        recipients=recipients,
        question="Send the renewal e-mail now?",
        notes=notes,
    )


def _digest_emails(*statuses: str) -> Coalesce:
    """How many of a run's outbox e-mails are in these states (a subquery per row)."""
    emails = (
        Email.objects.filter(
            key__startswith=OuterRef("email_key_prefix"), kind=DIGEST_TEMPLATE, status__in=statuses
        )
        .order_by()
        .values("kind")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(emails, output_field=IntegerField()), 0)


class DigestForm(forms.Form):
    reseller = forms.ModelChoiceField(
        Reseller.objects.select_related("region"),
        widget=admin.widgets.AutocompleteSelect(DigestRun._meta.get_field("reseller"), admin.site),
    )
    on = forms.DateField(
        label="Date",
        required=False,
        help_text="The list as of this date; empty for today in the reseller's zone.",
    )

    def date(self) -> object:
        reseller = self.cleaned_data["reseller"]
        return self.cleaned_data["on"] or reseller.region.today(timezone.now())


@admin.register(DigestRun)
class DigestRunAdmin(AuditedActionsMixin, LockedRecordsMixin, admin.ModelAdmin):
    list_display = [
        "reseller",
        "month_label",
        "status",
        "reason",
        "on",
        "expired",
        "due",
        "recipients",
        "delivery",
        "finished_at",
    ]
    list_filter = ["status", "month", "reseller__region"]
    search_fields = ["reseller__name", "reseller__account_number", "reason"]
    list_select_related = ["reseller"]
    date_hierarchy = "month"
    readonly_fields = [field.name for field in DigestRun._meta.fields]
    actions = ["send_now"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the month's record of what was sent, skipped or failed, and why

    def locked_reason(self, run: DigestRun) -> str:
        return "The record of a month's renewal e-mail: the job and “Send now” write it."

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                emails_sent=_digest_emails(Email.Status.SENT),
                emails_waiting=_digest_emails(Email.Status.PENDING, Email.Status.SENDING),
                emails_failed=_digest_emails(Email.Status.FAILED),
            )
        )

    @admin.display(description="month", ordering="month")
    def month_label(self, run: DigestRun) -> str:
        return f"{run.month:%B %Y}"

    @admin.display(description="e-mails")
    def delivery(self, run: DigestRun) -> str:
        if not (run.emails_sent or run.emails_waiting or run.emails_failed):
            return "—"
        url = reverse("admin:notifications_email_changelist") + f"?q={run.email_key_prefix}"
        parts = [f"{run.emails_sent} sent"]
        if run.emails_waiting:
            parts.append(f"{run.emails_waiting} waiting or retrying")
        if run.emails_failed:
            parts.append(f"{run.emails_failed} failed")
        return format_html('<a href="{}">{}</a>', url, ", ".join(parts))

    @admin.action(description="Send now (today's list; only representatives not sent it yet)")
    def send_now(self, request, queryset):
        runs = list(queryset.select_related("reseller__region"))
        today = {run.pk: run.reseller.region.today(timezone.now()) for run in runs}
        if not is_confirmed(request):
            plans = [digest_plan(run.reseller, today[run.pk]) for run in runs]
            return confirm_action(
                self,
                request,
                queryset,
                action="send_now",
                title="Send a renewal e-mail now",
                confirmation=digest_confirmation(plans),
            )
        for run in runs:
            done, _ = digest_send(reseller_id=run.reseller_id, on=today[run.pk], force=True)
            self.message_user(request, f"{done}: {done.get_status_display()}. {done.reason}")
        return None

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            # The e-mail's HTML is styled inline (as mail clients need) in a sandboxed frame.
            path(
                "preview/",
                csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(view(self.preview_view)),
                name="renewals_digest_preview",
            ),
            path("send/", view(self.send_view), name="renewals_digest_send"),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        """The renewal e-mail a reseller would get for any date, rendered, not sent."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = DigestForm(request.GET or None)
        preview = (
            digest_preview(form.cleaned_data["reseller"], form.date()) if form.is_valid() else None
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Preview a renewal e-mail",
            "form": form,
            "preview": preview,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/renewals/digestrun/preview.html", context)

    def send_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = DigestForm(request.POST or None, initial={"reseller": request.GET.get("reseller")})

        def send(data: dict) -> str:
            run, _ = digest_send(reseller_id=data["reseller"].pk, on=form.date(), force=True)
            return f"{run}: {run.get_status_display()}. {run.reason}"

        def confirm(data: dict) -> Confirmation:
            return digest_confirmation([digest_plan(data["reseller"], form.date())])

        return service_form_view(
            self,
            request,
            form=form,
            title="Send a renewal e-mail now",
            perform=send,
            confirm=confirm,
            done_url=reverse("admin:renewals_digestrun_changelist"),
            intro=(
                "Composes the reseller's renewal e-mail for the date and queues it for each "
                "support-contract representative who has not had this month's e-mail yet."
            ),
        )
