"""Rules of bulletins and downloads (SPEC §1.5): pure functions, no ORM, no clock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from contracts.rules import supported_releases


def download_offered(
    version: str, product_versions: Iterable[str], *, covered_system_on_release: bool
) -> bool:
    """Hot fixes and service packs: for supported releases, to resellers covered on that one."""
    return covered_system_on_release and version in supported_releases(product_versions)


@dataclass(frozen=True)
class Person:
    """A reseller's user as far as bulletin notices care."""

    pk: int
    email: str
    is_representative: bool
    has_contracts_access: bool


def bulletin_recipients(users: Sequence[Person]) -> list[Person]:
    """Who hears of a bulletin: the support-contract representatives (they get the renewal
    e-mail and act on contracts); a reseller without one, its users with contracts access."""
    reachable = [user for user in users if user.email]
    representatives = [user for user in reachable if user.is_representative]
    return representatives or [user for user in reachable if user.has_contracts_access]
