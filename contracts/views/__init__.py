"""Portal pages of XpressCare Contracts: Home, the contracts list and its CSV, the system page,
and the page (with Request access) for users without contracts access."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from contracts import rules, selection, selectors, services
from contracts.charts import bar_chart
from contracts.exports import system_csv_lines
from contracts.filters import DECISION_CHOICES, SystemFilter
from contracts.forms import AccessRequestForm, RenewalDecisionForm
from contracts.selectors.rows import listed_systems, system_list_rows
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.forms import add_rule_error
from partnerxpress.core.locales import day_text
from partnerxpress.core.pages import paginate
from partnerxpress.core.policy import can_see_contracts, sees_every_reseller
from partnerxpress.core.tenancy import user_today

PAGE_SIZE = 50
CUSTOMER_CHOICES_MAX = 500  # beyond this a drop-down is no help: search by name instead


def no_access(request: HttpRequest) -> HttpResponse:
    """403: why the user cannot see XpressCare Contracts, and the Request access button."""
    context = {"access_request": selectors.access_request_open(request.user)}
    return render(request, "contracts/no_access.html", context, status=403)


def contracts_access_required(view: Callable) -> Callable:
    """A signed-in user with XpressCare Contracts access, else the no-access page (403)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_see_contracts(request.user):
            return no_access(request)
        return view(request, *args, **kwargs)

    return wrapped


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The reseller's coverage at a glance (no contract data without contracts access)."""
    today = user_today(request.user)
    if not can_see_contracts(request.user):
        context = {"access_request": selectors.access_request_open(request.user)}
        return render(request, "contracts/home.html", {"today": today, **context})
    overview = selectors.coverage_overview(request.user, today)
    list_url = reverse("contracts:list")
    chart = bar_chart(
        [
            (
                date_format(month, "M"),
                f"{date_format(month, 'YEAR_MONTH_FORMAT')}: {count} to renew",
                count,
                f"{list_url}?renew_by_month={month:%Y-%m}&sort=expiry",
            )
            for month, count in overview.renew_by_months
        ]
    )
    statuses = [
        (status, rules.STATUS_LABELS[status], overview.by_status[status]) for status in rules.Status
    ]
    context = {
        "today": today,
        "overview": overview,
        "statuses": statuses,
        "chart": chart,
        "chart_last_month": overview.renew_by_months[-1][0],
        "expiring_days": rules.EXPIRING_DAYS,
        "grace_days": rules.GRACE_DAYS,
    }
    return render(request, "contracts/home.html", context)


def _customer_options(user, chosen: str) -> str | None:
    """<option>s of the customer filter, or None when there are too many for a list."""
    choices = selectors.customer_choices(user, limit=CUSTOMER_CHOICES_MAX)
    if choices is None:
        return None
    # Built here, not in a template loop: 500 options render in 1 ms instead of 60.
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((pk, mark_safe(" selected") if str(pk) == chosen else "", name) for pk, name in choices),
    )


def _filtered(request: HttpRequest) -> SystemFilter:
    return SystemFilter(request.GET, queryset=selectors.system_list(request.user), request=request)


@contracts_access_required
def system_list(request: HttpRequest) -> HttpResponse:
    """XpressCare Contracts: the reseller's systems by customer, filtered, searched, sorted."""
    systems = _filtered(request)
    page = paginate(
        request,
        systems.qs,
        per_page=PAGE_SIZE,
        count=_status_total(request, systems),
        rows=lambda keys: listed_systems(request.user, keys, systems.today),
    )
    query = request.GET.copy()
    query.pop("page", None)
    without_customer = query.copy()
    without_customer.pop("customer", None)
    context = {
        "filter": systems,
        "page": page,
        "rows": system_list_rows(page.items, systems.today, _own_reseller(request.user)),
        "selected": set(selection.selection_get(request.session)),
        "today": systems.today,
        "query": query.urlencode(),
        "query_without_customer": without_customer.urlencode(),
        "grouped": systems.form.cleaned_data.get("sort") in (None, "", "customer"),
        "customer_options": _customer_options(request.user, request.GET.get("customer", "")),
        "chosen": {
            "status": request.GET.getlist("status"),
            "customer": request.GET.get("customer", ""),
            "product": request.GET.get("product", ""),
            "sort": request.GET.get("sort", ""),
            "decision": request.GET.getlist("decision"),
        },
        "decision_choices": DECISION_CHOICES,
        # Filters the form has no control for (they come from links): kept when it is sent.
        "kept_filters": ("renew_by_month", "ends_month", "reseller"),
        "is_filtered": any(key != "sort" and value for key, value in query.items()),
        "status_choices": [(status.value, rules.STATUS_LABELS[status]) for status in rules.Status],
    }
    return render(request, "contracts/system_list.html", context)


def _own_reseller(user) -> list:
    """The user's reseller, loaded with its region at sign-in (`core.backends`)."""
    return [user.reseller] if user.reseller_id is not None else []


def _status_total(request: HttpRequest, systems: SystemFilter) -> int | None:
    """How many rows the list has when statuses alone filter it, or nothing does: the home
    page's cached figures know (counting 9,000 or 100,000 rows again costs more than the rest
    of the page). Staff's figures over every reseller are not cached: counting them all is
    cheaper than grouping them."""
    if not systems.form.is_valid():
        return None
    data = systems.form.cleaned_data
    others = [name for name, value in data.items() if name not in ("status", "sort") and value]
    if others or (not data.get("status") and sees_every_reseller(request.user)):
        return None
    overview = selectors.coverage_overview(request.user, systems.today)
    statuses = {rules.Status(status) for status in data.get("status") or rules.Status}
    return sum(overview.by_status[status] for status in statuses)


@contracts_access_required
def system_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """CSV of exactly the rows the contracts page shows for the same filters, streamed; a 400
    naming the wrong filters when the page would show a message instead (never every row)."""
    systems = _filtered(request)
    if not systems.is_valid():
        wrong = [f"{name}: {' '.join(errors)}" for name, errors in systems.errors.items()]
        return HttpResponse("\n".join(wrong), status=400, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        system_csv_lines(systems.qs, systems.today), content_type="text/csv; charset=utf-8"
    )
    filename = f"xpresscare-contracts-{systems.today:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@contracts_access_required
def decision_update(request: HttpRequest, serial_number: str) -> HttpResponse:
    """Record a renewal decision for a system (SPEC §1.8), or `withdraw` the one that applies."""
    system = selectors.system_get(request.user, serial_number)
    back = redirect("system", serial_number=system.serial_number)
    if "withdraw" in request.POST:
        withdrawn = services.renewal_decision_withdraw(system=system, user=request.user)
        if withdrawn is not None:
            messages.success(request, f"{withdrawn.get_kind_display()} is withdrawn.")
        return back
    form = RenewalDecisionForm(request.POST)
    made = _decision_record(request, form, system) if form.is_valid() else None
    if made is None:
        errors = [error for field in form.errors.values() for error in field]
        messages.error(request, "Not recorded: " + " ".join(errors))
    return back


def _decision_record(request: HttpRequest, form: RenewalDecisionForm, system):
    """The decision recorded from a valid form, or None with the rule's refusal on the form."""
    try:
        made = services.renewal_decision_record(
            system=system, user=request.user, **_decision_fields(form.cleaned_data)
        )
    except RuleViolation as refused:
        add_rule_error(form, refused)
        return None
    messages.success(request, f"{system.serial_number}: {made.get_kind_display().lower()}.")
    return made


def _decision_fields(data: dict) -> dict:
    return {
        "kind": data["decision"],
        "reason": data["reason"],
        "note": data["note"],
        "until": data["until"],
    }


@contracts_access_required
def selection_decide(request: HttpRequest) -> HttpResponse:
    """One renewal decision for every system ticked in the list; what happened, per system."""
    systems = selectors.system_list(request.user).filter(
        serial_number__in=selection.selection_get(request.session)
    )
    form = RenewalDecisionForm(request.POST or None)
    outcomes: list[tuple[str, str | None]] = []  # (serial number, refusal or None)
    if form.is_valid():
        for system in systems.order_by("customer_name", "serial_number"):
            try:
                services.renewal_decision_record(
                    system=system, user=request.user, **_decision_fields(form.cleaned_data)
                )
            except RuleViolation as refused:
                outcomes.append((system.serial_number, refused.message))
            else:
                outcomes.append((system.serial_number, None))
        recorded = [serial for serial, refusal in outcomes if refusal is None]
        selection.selection_change(request.session, remove=recorded)
    context = {"form": form, "systems": systems, "outcomes": outcomes}
    return render(request, "contracts/selection_decide.html", context)


@require_POST
@contracts_access_required
def selection_update(request: HttpRequest) -> HttpResponse:
    """Tick or untick systems to renew together: `add`, `remove` (serial numbers) or `clear`.

    Answers the new count as JSON to the list's script, else goes back to the list.
    """
    ticked = request.POST.getlist("add")
    # The list's form sends every renewable serial it `shown`: those not ticked are unticked.
    untick = [*request.POST.getlist("remove"), *set(request.POST.getlist("shown")) - set(ticked)]
    mine = set(selectors.system_serials(request.user, ticked))
    selected = selection.selection_change(
        request.session,
        add=[serial for serial in ticked if serial in mine],
        remove=untick,
        clear="clear" in request.POST,
    )
    if request.headers.get("Accept") == "application/json":
        kept = [serial for serial in ticked if serial in selected]
        return JsonResponse(
            {"selected": len(selected), "added": kept, "max": selection.MAX_SELECTED}
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("contracts:list")
    return redirect(back)


@require_POST
@login_required
def access_request(request: HttpRequest) -> HttpResponse:
    """Request access: recorded, and the reseller's sales representative is e-mailed."""
    form = AccessRequestForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = ""
    if form.is_valid():
        try:
            made = services.access_request_submit(
                user=request.user, message=form.cleaned_data["message"]
            )
        except RuleViolation as refusal:
            messages.info(request, refusal.message)
            return redirect(reverse("contracts:list"))
        messages.success(
            request,
            f"Your request of {day_text(timezone.localdate(made.requested_at))} is with your "
            "sales representative. We will e-mail you when access is enabled.",
        )
    else:
        messages.error(request, " ".join(form.errors.get("message", [])))
    return redirect(back or reverse("home"))
