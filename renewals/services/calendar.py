"""Writes of calendar feeds (SPEC §6.5): turn a user's feed on, give it a new address, or turn
it off. The address's token is returned once and never stored: only its hash is."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from contracts.models import User
from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.policy import can_subscribe_to_calendar
from renewals.calendar import token_digest
from renewals.models import CalendarFeed

TOKEN_BYTES = 32  # 256 random bits; SPEC §6.5 asks for at least 128

NOT_OFFERED = (
    "The calendar feed lists one reseller's renewals, for that reseller's users with "
    "XpressCare Contracts access."
)


@transaction.atomic
def calendar_feed_turn_on(*, user: User) -> str:
    """Give the user's feed a new address (turning it on, or resetting it: the old address
    stops working at once); returns the token, which only the answer to this request shows."""
    if not can_subscribe_to_calendar(user):
        raise RuleViolation("calendar_not_offered", NOT_OFFERED)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": token_digest(token), "created_at": timezone.now()}
    )
    return token


def calendar_feed_turn_off(*, user: User) -> bool:
    """Turn the user's feed off: its address stops working. False when it was off already."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
