"""The back office's ranking of resellers by on-time renewal rate (SPEC §1.9, §2)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import timezone

from renewals.models import ResellerStanding
from renewals.outcomes import Outcomes
from renewals.pipeline import MONTHS, Standing, reseller_standings
from renewals.rules.outcomes import OUTCOME_HEADINGS

PER_PAGE = 100
MAX_MONTHS = 60
MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class PeriodForm(forms.Form):
    """Months of coverage end, both included; the last 12 full months when not given."""

    start = forms.DateField(label="From", input_formats=["%Y-%m"], widget=MONTH_INPUT)
    end = forms.DateField(label="To", input_formats=["%Y-%m"], widget=MONTH_INPUT)

    @staticmethod
    def default(today: date) -> dict[str, date]:
        this_month = today.replace(day=1)
        return {
            "start": this_month - relativedelta(months=MONTHS),
            "end": this_month - timedelta(1),
        }

    def clean(self):
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if start and end:
            if not date(2000, 1, 1) <= start <= end <= date(2100, 12, 31):
                raise forms.ValidationError("Choose a first month no later than the last one.")
            if (
                relativedelta(end, start).years * 12 + relativedelta(end, start).months
                >= MAX_MONTHS
            ):
                raise forms.ValidationError(f"Choose at most {MAX_MONTHS} months.")
        return self.cleaned_data

    def period(self, today: date) -> tuple[date, date]:
        """The first day of the first month and the last day of the last one."""
        chosen = self.cleaned_data if self.is_bound and self.is_valid() else self.default(today)
        end = chosen["end"].replace(day=1) + relativedelta(months=1) - timedelta(days=1)
        return chosen["start"].replace(day=1), end


@admin.register(ResellerStanding)
class ResellerStandingAdmin(admin.ModelAdmin):
    """One page: every active reseller by on-time rate, with its next 12 months."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        form = PeriodForm(request.GET if "start" in request.GET else None)
        form.initial = PeriodForm.default(now.date())
        first, last = form.period(now.date())
        standings = reseller_standings(first, last, now)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Renewal outcomes by reseller",
            "form": form,
            "first": first,
            "last": last,
            "outcome_headings": OUTCOME_HEADINGS,
            "page": Paginator(standings, PER_PAGE).get_page(request.GET.get("p")),
            "total": _total(standings),
            "query": _without_page(request.GET),
        }
        return TemplateResponse(request, "admin/renewals/resellerstanding/ranking.html", context)


def _without_page(query) -> str:
    query = query.copy()
    query.pop("p", None)
    return query.urlencode()


def _total(standings: list[Standing]) -> dict:
    """All resellers together: outcomes summed, systems summed, values by currency."""
    values: dict[str, Decimal] = {}
    for standing in standings:
        currency = standing.reseller.currency
        values[currency] = values.get(currency, Decimal("0.00")) + standing.upcoming.value
    return {
        "outcomes": Outcomes.summed(standing.outcomes for standing in standings),
        "systems": sum(standing.upcoming.systems for standing in standings),
        "decided": sum(standing.upcoming.decided for standing in standings),
        "values": sorted(values.items()),
    }
