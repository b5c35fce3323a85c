"""Reads of the calendar feed (SPEC §6.5): whose address a token opens, the renew-by dates it
lists, and their iCalendar (RFC 5545) text.

Calendar clients poll a feed every few hours: one query finds the address's owner and one
more every event, however many systems the reseller has.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from contracts import rules
from contracts.coverage_sql import anchor_chain_end, decision_applies, statuses_condition
from contracts.models import System, User
from partnerxpress.core.locales import day_text, in_region
from partnerxpress.core.policy import can_subscribe_to_calendar
from partnerxpress.core.tenancy import for_user
from renewals.models import CalendarFeed

# How often clients should fetch the feed (a hint: Google and Outlook decide for themselves).
REFRESH_HOURS = 6


def token_digest(token: str) -> str:
    """What is kept of a feed address's token, and what keys its request budget: its sha256."""
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_address(token: str) -> str:
    """The absolute address of the feed with this token, on the portal's public address
    (PORTAL_URL): calendars keep it for years, whatever host it was made from."""
    return settings.PORTAL_URL + reverse("calendar_feed", kwargs={"token": token})


def calendar_feed_get(user) -> CalendarFeed | None:
    """The user's calendar feed, if it is on."""
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_owner(token: str) -> User | None:
    """The user whose feed address holds `token` while it may serve them; None otherwise.

    A reset or turned-off address is unknown. A user who is inactive or lost contracts access
    is refused, though the feed is kept: it works again if staff give the access back.
    """
    feed = (
        CalendarFeed.objects.select_related("user__reseller__region")
        .filter(token_hash=token_digest(token))
        .first()
    )
    if feed is None or not feed.user.is_active or not can_subscribe_to_calendar(feed.user):
        return None
    return feed.user


@dataclass(frozen=True)
class RenewalEvent:
    """One system to renew, on the last day its renewal can be booked."""

    serial_number: str
    customer: str
    product: str
    chain_ends_on: date

    @property
    def renew_by(self) -> date:
        return rules.renew_by(self.chain_ends_on)

    @property
    def uid(self) -> str:
        """The same while the chain end is: a booked renewal makes a new event."""
        return f"{self.serial_number}-{self.chain_ends_on:%Y%m%d}@partnerxpress"


def renewal_events(user, today: date) -> list[RenewalEvent]:
    """The systems the user sees in XpressCare Contracts that are renewable on `today` and have
    no renewal decision applying then, by renew-by date: one query however many."""
    rows = (
        for_user(System.objects.all(), user)
        .filter(statuses_condition(rules.RENEWABLE_STATUSES, today))
        .filter(~decision_applies(today))
        .annotate(chain_end=anchor_chain_end(today))
        .order_by("chain_end", "serial_number")
        .values_list("serial_number", "customer_name", "product__name", "chain_end")
    )
    return [RenewalEvent(*row) for row in rows]


def _vevent(event: RenewalEvent, today: date, now: datetime) -> Event:
    page = settings.PORTAL_URL + reverse("system", kwargs={"serial_number": event.serial_number})
    ends = "ended" if event.chain_ends_on < today else "ends"
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", now)
    vevent.add("dtstart", event.renew_by)  # a date: an all-day event (VALUE=DATE)
    vevent.add("dtend", event.renew_by + timedelta(days=1))
    vevent.add("summary", f"Renew XpressCare: {event.serial_number} ({event.customer})")
    vevent.add(
        "description",
        f"{event.product} system {event.serial_number} of {event.customer}.\n"
        f"XpressCare coverage {ends} on {day_text(event.chain_ends_on)}; its renewal must be "
        f"booked by {day_text(event.renew_by)}.\n"
        f"System page: {page}",
    )
    vevent.add("url", page)
    vevent.add("transp", "TRANSPARENT")  # a deadline, not a meeting: the day stays free
    return vevent


def calendar_ics(user, events: list[RenewalEvent], today: date, now: datetime) -> bytes:
    """The feed's iCalendar text: one all-day event per system on its renew-by date."""
    calendar = Calendar()
    calendar.add("prodid", "-//AVST//PartnerXpress renewals//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = f"XpressCare renewals · {user.reseller.name}"
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)  # the name Outlook and Google show
    calendar.add("x-wr-caldesc", "Last days to renew XpressCare coverage, from PartnerXpress.")
    refresh = timedelta(hours=REFRESH_HOURS)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", f"PT{REFRESH_HOURS}H")  # Outlook's older name for it
    with in_region(user.reseller.region):  # dates in the region's language, like its e-mails
        for event in events:
            calendar.add_component(_vevent(event, today, now))
    return calendar.to_ical()
