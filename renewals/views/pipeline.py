"""The renewal pipeline (SPEC §2): coverage ending in the next 12 months, worth what, decided
how; the last 12 months' outcomes (§1.9) with the on-time rate; each figure links to its
systems. Staff see any reseller's (`?reseller=ACCOUNT`)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format

from contracts.charts import bar_chart
from contracts.models import Reseller
from contracts.views import contracts_access_required
from partnerxpress.core.pages import paginate
from partnerxpress.core.policy import sees_every_reseller
from renewals import selectors
from renewals.pipeline import Pipeline, opportunity_list, pipeline_get
from renewals.rules.outcomes import OUTCOME_HEADINGS, OUTCOME_LABELS, Outcome

OPPORTUNITIES_PER_PAGE = 50


def _reseller(request: HttpRequest) -> Reseller | None:
    """The reseller whose pipeline is shown: the user's, or for staff the one named."""
    account = request.GET.get("reseller")
    if sees_every_reseller(request.user) and not account:
        return None
    return selectors.due_reseller_get(request.user, account)


@contracts_access_required
def pipeline_page(request: HttpRequest) -> HttpResponse:
    reseller = _reseller(request)
    if reseller is None:
        resellers = Reseller.objects.order_by("name")
        return render(request, "renewals/pipeline_pick.html", {"resellers": resellers})
    pipeline = pipeline_get(reseller, reseller.region.today_now())
    scope = _scope(request, reseller)
    context = {
        "pipeline": pipeline,
        "scope": scope,
        "outcome_headings": OUTCOME_HEADINGS,
        "past_rows": [(month, _cells(counts), counts.rate) for month, counts in pipeline.past],
        "past_total": _cells(pipeline.past_total),
        **_charts(pipeline, scope),
    }
    return render(request, "renewals/pipeline.html", context)


def _scope(request: HttpRequest, reseller: Reseller) -> str:
    """What each link adds so staff stay on the reseller they chose ("" for its own users)."""
    return f"&reseller={reseller.account_number}" if sees_every_reseller(request.user) else ""


def _cells(outcomes) -> list[tuple[str, int]]:
    """(outcome, count) in the order of the table's columns."""
    return [(outcome.value, outcomes.counts[outcome]) for outcome in Outcome]


def _charts(pipeline: Pipeline, scope: str) -> dict:
    """The two charts: systems per month of coverage end; the on-time rate per past month."""
    ends, opportunities = reverse("contracts:list"), reverse("renewals:opportunities")
    upcoming = bar_chart(
        [
            (
                date_format(month.month, "M"),
                f"{date_format(month.month, 'YEAR_MONTH_FORMAT')}: {month.systems} ending",
                month.systems,
                f"{ends}?ends_month={month.month:%Y-%m}&sort=expiry{scope}",
            )
            for month in pipeline.upcoming
        ]
    )
    past = bar_chart(
        [
            (
                date_format(month, "M"),
                f"{date_format(month, 'YEAR_MONTH_FORMAT')}: "
                + (f"{round(outcomes.rate * 100)} % on time" if outcomes.rate is not None else "—"),
                round(outcomes.rate * 100) if outcomes.rate is not None else 0,
                f"{opportunities}?month={month:%Y-%m}&outcome=on_time{scope}",
            )
            for month, outcomes in pipeline.past
        ]
    )
    return {"upcoming_chart": upcoming, "past_chart": past}


@contracts_access_required
def opportunities_page(request: HttpRequest) -> HttpResponse:
    """The renewal opportunities of one past month that came to one outcome."""
    if not request.GET.get("month") and not request.GET.get("outcome"):
        # The address without the figure it came from: the figures are on the pipeline page.
        query = request.GET.urlencode()
        return redirect(reverse("renewals:pipeline") + (f"?{query}" if query else ""))
    reseller = _reseller(request) or selectors.due_reseller_get(request.user, None)
    try:
        month = date.fromisoformat(request.GET.get("month", "") + "-01")
        outcome = Outcome(request.GET.get("outcome", ""))
    except ValueError:
        raise BadRequest("Give a month (YYYY-MM) and an outcome.") from None
    today = reseller.region.today_now()
    rows = opportunity_list(reseller, month, outcome, today)
    context = {
        "reseller": reseller,
        "month": month,
        "outcome": outcome,
        "outcome_label": OUTCOME_LABELS[outcome],
        "page": paginate(request, rows, per_page=OPPORTUNITIES_PER_PAGE),
    }
    return render(request, "renewals/opportunities.html", context)
