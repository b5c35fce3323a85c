"""Template tags of support pages and of the support box on the system page."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats

from contracts.rules import Entitlement
from incidents import rules, selectors
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.tenancy import is_certified_technician

register = template.Library()


@register.filter
def local_time(value: datetime | None, zone: str) -> str:
    """An instant on a region's clock, in the reader's locale, with the zone's abbreviation."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(zone))
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {local:%Z}"


@register.filter
def duration(minutes: int | None) -> str:
    """Minutes as “1 h 30 min”."""
    if minutes is None:
        return ""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@register.simple_tag
def can_open_cases(user, today: date) -> bool:
    """Certified technicians (certification not expired) and staff open cases."""
    return user.is_staff or is_certified_technician(user, today)


@register.simple_tag
def system_open_cases(user, system) -> list:
    return list(selectors.system_open_cases(user, system))


@register.simple_tag
def support_offer(entitlement: Entitlement) -> dict:
    """What a case for this system would be: {"kind": CaseKind | None, "reason": str | None}."""
    try:
        return {"kind": rules.case_kind(entitlement).value, "reason": None}
    except RuleViolation as refused:
        return {"kind": None, "reason": refused.message, "code": refused.code}
