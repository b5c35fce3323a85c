"""Who may do what: every permission of the portal, as a pure predicate over the user.

Views, API permission classes, services and templates (through `can` in every page's context)
ask these; nothing else spells a permission. Which rows a user sees is `core.tenancy`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property


def sees_every_reseller(user) -> bool:
    """Vendor staff act for every reseller; everyone else sees one reseller's data at most."""
    return user.is_authenticated and user.is_staff


def can_see_contracts(user) -> bool:
    """XpressCare Contracts (systems, coverage, orders) need access enabled per user."""
    return user.is_authenticated and (user.is_staff or user.has_contracts_access)


def can_subscribe_to_calendar(user) -> bool:
    """The calendar feed lists one reseller's renewals: for that reseller's users with contracts
    access. Staff see every reseller's systems, too many for a calendar (the pipeline serves)."""
    if sees_every_reseller(user):
        return False
    return can_see_contracts(user) and user.reseller_id is not None


def can_open_cases(user, on: date) -> bool:
    """Staff, and certified technicians of a reseller whose certification holds on `on`."""
    if not user.is_authenticated:
        return False
    return user.is_staff or (user.reseller_id is not None and user.is_technician_on(on))


@dataclass
class Permissions:
    """The predicates above for one user, as templates read them: `{% if can.see_contracts %}`."""

    user: object
    today: date

    @cached_property
    def see_contracts(self) -> bool:
        return can_see_contracts(self.user)

    @cached_property
    def open_cases(self) -> bool:
        return can_open_cases(self.user, self.today)

    @cached_property
    def subscribe_to_calendar(self) -> bool:
        return can_subscribe_to_calendar(self.user)

    @cached_property
    def use_back_office(self) -> bool:
        return sees_every_reseller(self.user)
