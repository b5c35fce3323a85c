"""Whose day and whose language: a reseller's users read dates in their region's language
(`Region.language`) and times in its zone, in pages, messages, e-mails and PDFs alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from django.utils import formats, timezone, translation


@contextmanager
def in_region(region) -> Iterator[None]:
    """Render as the region's users read: its language (date style) and time zone."""
    with translation.override(region.language), timezone.override(region.zone):
        yield


def day_text(day: date) -> str:
    """A date as the active language writes it, in messages too: "Dec 2, 2026", "2 Dec 2026"."""
    return formats.date_format(day, "DATE_FORMAT")


def moment_text(at: datetime) -> str:
    """An instant on its own clock, with weekday and zone: "Monday, Nov 30, 2026, 5:00 AM PST"."""
    return f"{formats.date_format(at, 'l')}, {formats.date_format(at, 'DATETIME_FORMAT')}"
