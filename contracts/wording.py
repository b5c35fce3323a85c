"""A system's coverage said in words, with dates in the user's locale."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import ngettext

from contracts import rules


def days(count: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


def coverage_sentence(coverage: rules.Coverage, today: date) -> str:
    """E.g. "Expired 12 days ago — renew by 1 Mar 2027"."""
    status = coverage.status
    end = date_format(coverage.ends_on) if coverage.ends_on else ""
    renew = f" — renew by {date_format(coverage.renew_by)}" if coverage.renew_by else ""
    if status == rules.Status.INELIGIBLE:
        return "Not eligible for XpressCare — RightFax support plans are sold separately"
    if status == rules.Status.NEVER:
        return "Never covered — an XpressCare plan covers it from the day it is booked"
    if status == rules.Status.PENDING:
        return f"Coverage starts on {date_format(coverage.starts_on)}, until {end}{renew}"
    if status == rules.Status.COVERED:
        return f"Covered until {end}{renew}"
    if status == rules.Status.EXPIRING:
        left = (coverage.ends_on - today).days
        when = "today" if left == 0 else f"in {days(left)}, on {end}"
        return f"Expires {when}{renew}"
    ago = (today - coverage.ends_on).days
    if status == rules.Status.GRACE:
        return f"Expired {days(ago)} ago{renew}"
    return (
        f"Lapsed — coverage ended {days(ago)} ago, on {end}: "
        "a software upgrade returns it to XpressCare"
    )


def po_text(po_number: str) -> str:
    """A PO number said in a sentence: "PO 81074", but "PO-81074" as is, not "PO PO-81074"."""
    if po_number[:2].upper() == "PO" and not po_number[2:3].isalpha():
        return po_number
    return f"PO {po_number}"
