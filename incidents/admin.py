"""Back office for support: business hours and holidays, the rate card, cases and their time."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timezone import localtime

from contracts.money import format_money
from contracts.rules import currency_for_region
from incidents import rules, services
from incidents.models import WEEKDAY_FIELDS, BusinessHours, Case, Holiday, Rate, TimeEntry
from incidents.templatetags.support import local_time
from partnerxpress.core.admin import AuditedActionsMixin, HistoryAdmin, LockedRecordsMixin
from partnerxpress.core.admin_forms import service_form_view
from partnerxpress.core.locales import moment_text


def case_money(case: Case, amount) -> str:
    """An amount of a case in its reseller's currency (SPEC §1.7)."""
    return format_money(amount, currency_for_region(case.reseller.region.code))


class BusinessHoursForm(forms.ModelForm):
    time_zone = forms.CharField(
        max_length=64,
        help_text="The region's IANA time zone, e.g. America/Los_Angeles or Etc/GMT. "
        "It also decides the date that is “today” for the region's resellers.",
    )

    class Meta:
        model = BusinessHours
        fields = ["region", "opens_at", "closes_at", *WEEKDAY_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["time_zone"].initial = self.instance.region.time_zone

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(f"“{name}” is not a known time zone.") from None
        return name


class HolidayInline(admin.TabularInline):
    model = Holiday
    fields = ["date", "name"]
    extra = 1


@admin.register(BusinessHours)
class BusinessHoursAdmin(AuditedActionsMixin, HistoryAdmin):
    form = BusinessHoursForm
    list_display = ["region", "time_zone", "opens_at", "closes_at", "days", "next_holiday"]
    list_select_related = ["region"]
    search_fields = ["region__code", "region__name"]
    inlines = [HolidayInline]
    fieldsets = [
        (None, {"fields": ["region", "time_zone"]}),
        (
            "Hours (opening inclusive, closing exclusive, in the region's time zone)",
            {"fields": [("opens_at", "closes_at")]},
        ),
        ("Weekdays", {"fields": [tuple(WEEKDAY_FIELDS)]}),
    ]

    @admin.display(description="time zone", ordering="region__time_zone")
    def time_zone(self, hours: BusinessHours) -> str:
        return hours.region.time_zone

    @admin.display(description="days")
    def days(self, hours: BusinessHours) -> str:
        return hours.days_label

    @admin.display(description="next holiday")
    def next_holiday(self, hours: BusinessHours) -> str:
        today = hours.region.today(timezone.now())
        holiday = hours.holidays.filter(date__gte=today).first()
        return str(holiday) if holiday else "—"

    def save_model(self, request, obj: BusinessHours, form, change) -> None:
        super().save_model(request, obj, form, change)
        region = obj.region
        if region.time_zone != form.cleaned_data["time_zone"]:
            region.time_zone = form.cleaned_data["time_zone"]
            region.save(update_fields=["time_zone"])


@admin.register(Rate)
class RateAdmin(AuditedActionsMixin, HistoryAdmin):
    list_display = ["band", "hours", "hourly_rate", "minimum_minutes"]
    list_display_links = ["band"]
    list_editable = ["hourly_rate", "minimum_minutes"]
    list_filter = ["hours"]
    fields = ["hours", ("min_age_years", "max_age_years"), "hourly_rate", "minimum_minutes"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "hourly_rate" in form.base_fields:  # not for staff who may only view
            form.base_fields["hourly_rate"].help_text = (
                "In the currency of the case's reseller: USD in NA, GBP in EMEA. A case keeps the "
                "rate it was opened with."
            )
        return form

    @admin.display(description="system age", ordering="min_age_years")
    def band(self, rate: Rate) -> str:
        return rules.band_label(rate.as_rule)


class TimeEntryInline(admin.TabularInline):
    model = TimeEntry
    fields = ["worked_on", "minutes", "note", "entered_by", "entered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # entered with “Enter time”, which refuses time on a closed case

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TimeEntryForm(forms.Form):
    worked_on = forms.DateField(initial=timezone.localdate)
    minutes = forms.IntegerField(min_value=1, max_value=24 * 60)
    note = forms.CharField(max_length=200, required=False)


class CloseForm(forms.Form):
    resolution = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))


CASE_NUMBER = re.compile(r"^\s*SC-?0*(\d+)\s*$", re.IGNORECASE)


@admin.register(Case)
class CaseAdmin(AuditedActionsMixin, LockedRecordsMixin, HistoryAdmin):
    change_form_template = "admin/incidents/case/change_form.html"
    list_display = [
        "number",
        "opened_at",
        "reseller",
        "system",
        "kind",
        "severity",
        "after_hours_callback",
        "business_hours",
        "status",
        "minutes",
        "bill",
    ]
    list_filter = [
        "status",
        "kind",
        "severity",
        "after_hours_callback",
        "business_hours",
        "reseller__region",
    ]
    search_fields = [
        "system__serial_number",
        "system__customer_name",
        "reseller__name",
        "reseller__account_number",
        "summary",
        "po_number",
        "opened_by__username",
        "opened_by__email",
    ]
    list_select_related = ["reseller__region", "system"]
    date_hierarchy = "opened_at"
    inlines = [TimeEntryInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "status",
                    ("reseller", "system"),
                    ("opened_by", "contact_phone"),
                    ("kind", "severity"),
                    "summary",
                    "description",
                    "po_number",
                ]
            },
        ),
        (
            "Timing and price (fixed when the case was opened)",
            {
                "fields": [
                    ("opened_at", "starts_at"),
                    "local_times",
                    ("business_hours", "after_hours_callback"),
                    ("age_years", "rate", "minimum_minutes"),
                ]
            },
        ),
        (
            "Closing and bill",
            {
                "fields": [
                    ("closed_at", "closed_by"),
                    "resolution",
                    ("minutes_worked", "billable_minutes", "bill"),
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Cases change only through opening, “Enter time” and “Close case”, which apply the rules.
        return [field for row in self._flat_fields() for field in row]

    def _flat_fields(self):
        for _, options in self.fieldsets:
            for row in options["fields"]:
                yield row if isinstance(row, tuple) else (row,)

    def has_add_permission(self, request) -> bool:
        return False  # opened by technicians in the portal or the API, where the rules apply

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a case is a billing record

    def locked_reason(self, case: Case) -> str:
        if case.is_open:
            return "An open case changes only through “Enter time” and “Close case”."
        bill = f" The bill, {case_money(case, case.amount)}, is final." if case.is_billed else ""
        return f"Closed {moment_text(localtime(case.closed_at))} by {case.closed_by}.{bill}"

    @admin.display(description="hourly rate", ordering="hourly_rate")
    def rate(self, case: Case) -> str:
        return case_money(case, case.hourly_rate) or self.get_empty_value_display()

    @admin.display(description="amount", ordering="amount")
    def bill(self, case: Case) -> str:
        return case_money(case, case.amount) or self.get_empty_value_display()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(minutes_entered=Sum("time_entries__minutes"))

    def get_search_results(self, request, queryset, search_term):
        match = CASE_NUMBER.match(search_term)
        if match:
            return queryset.filter(pk=int(match.group(1))), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="case", ordering="pk")
    def number(self, case: Case) -> str:
        return case.number

    @admin.display(description="in the region")
    def local_times(self, case: Case) -> str:
        zone = case.reseller.region.time_zone
        opened = local_time(case.opened_at, zone)
        if not case.deferred:
            return opened
        return f"{opened}; starts {local_time(case.starts_at, zone)}"

    @admin.display(description="minutes entered", ordering="minutes_entered")
    def minutes(self, case: Case) -> int:
        return getattr(case, "minutes_entered", None) or 0

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/time/", view(self.time_view), name="incidents_case_time"),
            path("<int:pk>/close/", view(self.close_view), name="incidents_case_close"),
            *super().get_urls(),
        ]

    def time_view(self, request, pk: int):
        if not request.user.has_perm("incidents.add_timeentry"):
            raise PermissionDenied
        case = get_object_or_404(Case, pk=pk)

        def enter(data: dict) -> str:
            entry = services.time_entry_add(case=case, user=request.user, **data)
            return f"{entry.minutes} minutes entered on {case}."

        return service_form_view(
            self,
            request,
            form=TimeEntryForm(request.POST or None),
            title=f"Enter time on {case}",
            perform=enter,
            done_url=reverse("admin:incidents_case_change", args=[case.pk]),
            intro=f"{case.system} · {case.summary}",
        )

    def close_view(self, request, pk: int):
        if not request.user.has_perm("incidents.change_case"):
            raise PermissionDenied
        case = get_object_or_404(Case.objects.select_related("reseller__region"), pk=pk)

        def close(data: dict) -> str:
            closed = services.case_close(
                case=case, user=request.user, resolution=data["resolution"], now=timezone.now()
            )
            if closed.is_billed:
                return (
                    f"{closed} closed: {closed.billable_minutes} billable minutes at "
                    f"{case_money(closed, closed.hourly_rate)}/h = "
                    f"{case_money(closed, closed.amount)}."
                )
            return f"{closed} closed (XpressCare, no charge)."

        entered = case.time_entries.aggregate(total=Sum("minutes"))["total"] or 0
        intro = f"{case.system} · {case.summary} · {entered} minutes entered."
        if case.is_billed:
            intro += (
                f" Billed at {case_money(case, case.hourly_rate)}/h, minimum "
                f"{case.minimum_minutes} minutes; "
                "the bill is final once the case is closed."
            )
        return service_form_view(
            self,
            request,
            form=CloseForm(request.POST or None),
            title=f"Close {case}",
            perform=close,
            done_url=reverse("admin:incidents_case_change", args=[case.pk]),
            intro=intro,
        )


@admin.register(TimeEntry)
class TimeEntryAdmin(AuditedActionsMixin, LockedRecordsMixin, HistoryAdmin):
    list_display = ["case_link", "worked_on", "minutes", "entered_by", "note"]
    list_filter = ["case__kind", "case__reseller__region", "worked_on"]
    search_fields = ["case__system__serial_number", "case__reseller__name", "note"]
    list_select_related = ["case", "entered_by"]
    date_hierarchy = "worked_on"
    readonly_fields = ["case", "worked_on", "minutes", "note", "entered_by", "entered_at"]

    def has_add_permission(self, request) -> bool:
        return False  # entered on the case (“Enter time”), which refuses time on a closed case

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def locked_reason(self, entry: TimeEntry) -> str:
        return f"Time entered on {entry.case}: it makes the case's bill, so it is never edited."

    @admin.display(description="case", ordering="case")
    def case_link(self, entry: TimeEntry) -> str:
        url = reverse("admin:incidents_case_change", args=[entry.case_id])
        return format_html('<a href="{}">{}</a>', url, entry.case)
