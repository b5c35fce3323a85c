"""The calendar feed (SPEC §2, §6.5): the portal page that turns it on, resets and turns it
off, and the feed itself, which calendar programs fetch without signing in."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from contracts import rules as contract_rules
from contracts.views import contracts_access_required  # the portal's 403 with Request access
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.throttling import wait_for_budget
from renewals.calendar import (
    calendar_feed_address,
    calendar_feed_get,
    calendar_feed_owner,
    calendar_ics,
    renewal_events,
    token_digest,
)
from renewals.services.calendar import calendar_feed_turn_off, calendar_feed_turn_on

ACTIONS = {"on", "reset", "off"}
SHOWN_ONCE = "Copy its address below now: it will not be shown again."


@contracts_access_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    """How to subscribe, and Turn on / Reset address / Turn off (POST `action`)."""
    if request.method == "POST":
        return _calendar_change(request)
    return render(request, "renewals/calendar.html", _context(request.user))


def _context(user, address: str | None = None) -> dict:
    return {
        "feed": calendar_feed_get(user),
        "address": address,
        # The same address for programs that open webcal: links (Apple Calendar, Outlook).
        "webcal": "webcal://" + address.split("://", 1)[1] if address else None,
        "grace_days": contract_rules.GRACE_DAYS,
    }


def _calendar_change(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action")
    if action not in ACTIONS:
        return redirect("calendar")
    if action == "off":
        if calendar_feed_turn_off(user=request.user):
            messages.success(request, "Your calendar feed is off: its address no longer works.")
        return redirect("calendar")
    was_on = calendar_feed_get(request.user) is not None
    try:
        address = calendar_feed_address(calendar_feed_turn_on(user=request.user))
    except RuleViolation as refusal:
        messages.error(request, refusal.message)
        return redirect("calendar")
    done = (
        "Your calendar address is new: the old one no longer works."
        if was_on
        else "Your calendar feed is on."
    )
    messages.success(request, f"{done} {SHOWN_ONCE}")
    # Shown in this answer only (no redirect): the address is in no session, cookie or cache.
    response = render(request, "renewals/calendar.html", _context(request.user, address))
    add_never_cache_headers(response)
    return response


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed (text/calendar) for whoever holds its address; 404 once reset or turned off,
    or when its user is inactive or lost contracts access; 429 past its request budget."""
    wait = wait_for_budget(f"calendar-feed:{token_digest(token)}", settings.CALENDAR_FEED_RATE)
    if wait is not None:
        response = HttpResponse(
            "Too many requests for this calendar feed.", status=429, content_type="text/plain"
        )
        response["Retry-After"] = str(wait)
        return response
    user = calendar_feed_owner(token)
    if user is None:
        raise Http404("No such calendar feed.")
    today = user.reseller.region.today_now()
    body = calendar_ics(user, renewal_events(user, today), today, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="xpresscare-renewals.ics"'
    patch_cache_control(response, private=True, no_store=True)
    return response
