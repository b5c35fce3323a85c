"""Reads of bulletins, upgrade-eligible systems and downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from contracts import rules as contract_rules
from contracts.coverage_sql import status_condition
from contracts.models import Product, Release, System
from contracts.selectors import release_current, systems_facts
from partnerxpress.core.policy import can_see_contracts, sees_every_reseller
from partnerxpress.core.tenancy import for_user
from renewals.models import Order
from renewals.selectors import open_upgrade_orders
from upgrades import rules
from upgrades.models import Bulletin, Download


def bulletin_list() -> QuerySet[Bulletin]:
    """Published bulletins, newest first (they announce releases: every reseller may read them)."""
    return Bulletin.objects.filter(published_at__isnull=False).select_related("release__product")


def covered_on(on: date) -> Q:
    """SQL: a coverage period contains `on` (status covered or expiring)."""
    return status_condition(contract_rules.Status.COVERED, on) | status_condition(
        contract_rules.Status.EXPIRING, on
    )


def upgrade_eligible_systems(systems: QuerySet[System], product: Product, on: date) -> list[System]:
    """The systems of `product` entitled to a no-charge upgrade on `on`, by customer.

    SQL narrows to covered systems below the current release; the rules decide
    (contracts.rules.entitlement_on(...).upgrade_eligible) on each one's full history.
    """
    current = release_current(product)
    if current is None:
        return []
    candidates = list(
        systems.filter(covered_on(on), product=product, release__sort_key__lt=current.sort_key)
        .select_related("product", "release", "customer")
        .order_by("customer_name", "serial_number")
    )
    facts = systems_facts(candidates)
    return [
        system
        for system in candidates
        if contract_rules.entitlement_on(facts[system.pk], on).upgrade_eligible
    ]


def entitled_release_ids(user, on: date) -> set[int]:
    """Releases whose downloads the user may have: supported, and the reseller covered on it."""
    releases = list(Release.objects.values_list("pk", "product_id", "version"))
    versions: dict[int, list[str]] = {}
    for _, product_id, version in releases:
        versions.setdefault(product_id, []).append(version)
    if sees_every_reseller(user):
        covered = {pk for pk, _, _ in releases}
    else:
        systems = for_user(System.objects.all(), user).filter(covered_on(on))
        covered = set(systems.values_list("release_id", flat=True).distinct())
    return {
        pk
        for pk, product_id, version in releases
        if rules.download_offered(
            version, versions[product_id], covered_system_on_release=pk in covered
        )
    }


def download_list(user, on: date) -> QuerySet[Download]:
    """The downloads offered to the user on `on`, by product and newest release first."""
    return Download.objects.filter(release_id__in=entitled_release_ids(user, on)).select_related(
        "release__product"
    )


def download_get(user, pk: int, on: date) -> Download:
    """A download the user may have; anyone else's is a 404, like a missing one."""
    try:
        return download_list(user, on).get(pk=pk)
    except Download.DoesNotExist:
        raise Http404("No such download.") from None


@dataclass(frozen=True)
class UpgradeOffer:
    """A product's current release and the reader's systems it upgrades at no charge."""

    release: Release
    count: int
    rows: list[tuple[System, Order | None]]  # each system and its open upgrade order, if any


def upgrade_offers(user, on: date, *, limit: int = 100) -> list[UpgradeOffer] | None:
    """Per product, the user's systems entitled to a no-charge upgrade (the first `limit`);
    None when the user may not see systems (staff see them in admin)."""
    if sees_every_reseller(user) or not can_see_contracts(user):
        return None
    offers = []
    for product in Product.objects.filter(is_xpresscare_eligible=True).order_by("name"):
        systems = upgrade_eligible_systems(for_user(System.objects.all(), user), product, on)
        if systems:
            ordered = open_upgrade_orders(systems[:limit])
            rows = [(system, ordered.get(system.pk)) for system in systems[:limit]]
            offers.append(UpgradeOffer(release_current(product), len(systems), rows))
    return offers
