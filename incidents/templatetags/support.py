"""Formatting filters of support pages and e-mails: times on a region's clock, durations."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def local_time(value: datetime | None, zone: str) -> str:
    """An instant on a region's clock, in the reader's locale; DATETIME_FORMAT names the zone."""
    if value is None:
        return ""
    return formats.date_format(value.astimezone(ZoneInfo(zone)), "DATETIME_FORMAT")


@register.filter
def duration(minutes: int | None) -> str:
    """Minutes as “1 h 30 min”."""
    if minutes is None:
        return ""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"
