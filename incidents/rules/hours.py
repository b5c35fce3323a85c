"""Business hours of support (SPEC §4.1): pure, no ORM, no clock (the instant is an argument)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.locales import moment_text

# How far ahead to look for an opening: a year of holidays is already absurd.
OPENING_SEARCH_DAYS = 400
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NO_OPENING = "No business-hours opening is set for this region: call AVST support."


@dataclass(frozen=True)
class BusinessHours:
    """A region's support hours: opening inclusive, closing exclusive, on its weekdays."""

    zone: str  # an IANA time zone, e.g. America/Los_Angeles
    opens: time
    closes: time
    weekdays: frozenset[int]  # Monday = 0 … Sunday = 6
    holidays: frozenset[date] = frozenset()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


def local_datetime(hours: BusinessHours, at: datetime) -> datetime:
    """The instant `at` on the region's clock."""
    if at.tzinfo is None:
        raise ValueError("`at` must be timezone-aware")
    return at.astimezone(hours.tz)


def local_date(hours: BusinessHours, at: datetime) -> date:
    """The region's calendar date at the instant `at`."""
    return local_datetime(hours, at).date()


def is_business_day(hours: BusinessHours, day: date) -> bool:
    return day.weekday() in hours.weekdays and day not in hours.holidays


def is_business_hours(hours: BusinessHours, at: datetime) -> bool:
    """Whether the instant `at` falls in business hours (opening inclusive, closing exclusive)."""
    moment = local_datetime(hours, at)
    return is_business_day(hours, moment.date()) and hours.opens <= moment.time() < hours.closes


def next_opening(hours: BusinessHours, at: datetime) -> datetime:
    """The first business-hours opening at or after the instant `at`, on the region's clock."""
    start = at.astimezone(UTC)
    day = local_date(hours, at)
    for offset in range(OPENING_SEARCH_DAYS):
        candidate = day + timedelta(days=offset)
        if not is_business_day(hours, candidate):
            continue
        # Through UTC and back: an opening in a daylight-saving gap moves to the first real
        # instant after it, and instants compare correctly (same-zone comparisons ignore fold).
        opening = datetime.combine(candidate, hours.opens, tzinfo=hours.tz).astimezone(UTC)
        if opening >= start:
            return opening.astimezone(hours.tz)
    raise RuleViolation("no_business_hours", NO_OPENING)


def format_local(at: datetime) -> str:
    """An instant on the region's clock as its people read it: “Monday, Nov 30, 2026, 5:00 AM
    PST” (US English), “Monday, 30 Nov 2026, 05:00 GMT” (UK)."""
    return moment_text(at)
