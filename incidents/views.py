"""Portal pages of support: the reseller's cases, the quote and open-case form, one case."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from incidents import selectors, services
from incidents.filters import CaseFilter
from incidents.forms import CaseForm
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.forms import add_rule_error
from partnerxpress.core.pages import paginate
from partnerxpress.core.policy import can_open_cases
from partnerxpress.core.tenancy import user_today

CASES_PER_PAGE = 25


def technician_required(view):
    """Support pages are for certified technicians (and staff); others get a page saying why."""

    @wraps(view)
    @login_required
    def check(request, *args, **kwargs):
        today = user_today(request.user)
        if can_open_cases(request.user, today):
            return view(request, *args, **kwargs)
        context = {"today": today}
        return render(request, "incidents/not_technician.html", context, status=403)

    return check


@technician_required
def cases(request):
    """The reseller's support cases, newest first."""
    filterset = CaseFilter(request.GET or None, queryset=selectors.case_list(request.user))
    page = paginate(request, filterset.qs, per_page=CASES_PER_PAGE)
    today = user_today(request.user)
    context = {
        "filter": filterset,
        "page": page,
        "hours": selectors.business_hours_for(request.user, today),
        "today": today,
    }
    return render(request, "incidents/case_list.html", context)


@technician_required
def case_new(request):
    """Quote support for a system now, then open the case on the quoted terms."""
    opening = request.POST.get("action") == "open"
    initial = {"serial_number": request.GET.get("system", "")}
    form = CaseForm(request.POST or None, user=request.user, opening=opening, initial=initial)
    if form.is_bound and form.is_valid() and opening:
        try:
            case = services.case_open(
                user=request.user,
                system=form.system,
                severity=form.cleaned_data["severity"],
                summary=form.cleaned_data["summary"],
                description=form.cleaned_data["description"],
                contact_phone=form.cleaned_data["contact_phone"],
                po_number=form.cleaned_data["po_number"],
                accept_next_opening=form.cleaned_data["accept_next_opening"],
                quoted=form.quoted,
                now=timezone.now(),
            )
        except RuleViolation as refused:
            add_rule_error(form, refused)
        else:
            messages.success(request, f"Case {case.number} is open: we have e-mailed you a copy.")
            return redirect("incidents:case", pk=case.pk)
    quote = _quote(form) if form.is_bound else None
    context = {
        "form": form,
        "quote": quote,
        "system": form.system,
        "hours": selectors.business_hours_for(request.user, user_today(request.user)),
    }
    return render(request, "incidents/case_form.html", context)


def _quote(form: CaseForm):
    data = form.cleaned_data
    if form.system is None or "severity" not in data or "estimated_minutes" not in data:
        return None
    try:
        return selectors.quote_get(
            system=form.system,
            started_at=timezone.now(),
            minutes=data["estimated_minutes"],
            system_down=form.system_down,
        )
    except RuleViolation as refused:
        form.add_error(None, refused.message)
        return None


@technician_required
def case_detail(request, pk: int):
    """One case: what it is about, its time entries and its bill."""
    case = selectors.case_get(request.user, pk)
    time_entries = list(case.time_entries.all())
    context = {
        "case": case,
        "time_entries": time_entries,
        "minutes_total": sum(entry.minutes for entry in time_entries),
        "bill": selectors.case_bill(case),
    }
    return render(request, "incidents/case_detail.html", context)
