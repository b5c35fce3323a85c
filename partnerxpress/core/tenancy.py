"""Who may see what: the one place a reseller-facing query is scoped to the caller's reseller.

Every reseller-facing selector passes its queryset through `for_user`; a model says how it
reaches its reseller with `RESELLER_PATH` (e.g. "reseller", "system__reseller").
"""

from __future__ import annotations

from datetime import date

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from partnerxpress.core.policy import sees_every_reseller


def for_user(queryset: QuerySet, user) -> QuerySet:
    """Rows the user may see: staff see all, a reseller's user sees that reseller's, others none."""
    if not user.is_authenticated:
        return queryset.none()
    if sees_every_reseller(user):
        return queryset
    if user.reseller_id is None:
        return queryset.none()
    return queryset.filter(**{queryset.model.RESELLER_PATH: user.reseller_id})


def get_for_user(queryset: QuerySet, user, **lookup) -> Model:
    """One object the user may see; another reseller's object is a 404, like a missing one.

    So is a key from an address or a query that no row can hold: text with a NUL character
    (PostgreSQL refuses even to compare it).
    """
    if any(isinstance(value, str) and "\x00" in value for value in lookup.values()):
        raise Http404(f"No {queryset.model._meta.verbose_name} matches.")
    try:
        return for_user(queryset, user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(f"No {queryset.model._meta.verbose_name} matches.") from None


def user_today(user) -> date:
    """Today in the user's reseller's region (UTC's date for staff)."""
    reseller = getattr(user, "reseller", None)
    if reseller is None:
        return timezone.now().date()
    return reseller.region.today(timezone.now())
