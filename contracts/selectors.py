"""Reads of contracts data shared by views, API, jobs and services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from contracts import rules
from contracts.models import Contract, Product, Release, System
from partnerxpress.core.tenancy import for_user, get_for_user


def product_versions(product: Product) -> tuple[str, ...]:
    """Every release number of a product."""
    return tuple(Release.objects.filter(product=product).values_list("version", flat=True))


def release_current(product: Product) -> Release | None:
    """The product's highest release."""
    return Release.objects.filter(product=product).order_by("-sort_key").first()


def system_facts(
    system: System,
    contracts: Iterable[Contract] | None = None,
    versions: tuple[str, ...] | None = None,
) -> rules.SystemFacts:
    """The plain facts the rules need about a system; loads what is not given."""
    if contracts is None:
        contracts = system.contracts.all()
    if versions is None:
        versions = product_versions(system.product)
    return rules.SystemFacts(
        eligible=system.product.is_xpresscare_eligible,
        release=system.release.version,
        product_releases=versions,
        um_clients=system.um_clients,
        tts_channels=system.tts_channels,
        purchases=tuple(contract.purchase for contract in contracts),
    )


def _chain_end_between(prefix: str, low: date | None, high: date | None) -> Q:
    condition = Q()
    if low is not None:
        condition &= Q(**{f"{prefix}_ends_on__gte": low})
    if high is not None:
        condition &= Q(**{f"{prefix}_ends_on__lte": high})
    return condition


def anchor_ends_between(on: date, low: date | None, high: date | None) -> Q:
    """SQL: the anchor chain on `on` (`rules.anchor_chain`) has started and ends in [low, high].

    The anchor is the last chain if it has started by `on`, else the prior one if that has.
    """
    last_started = Q(chain_starts_on__lte=on)
    prior_started = Q(chain_starts_on__gt=on, prior_chain_starts_on__lte=on)
    return (last_started & _chain_end_between("chain", low, high)) | (
        prior_started & _chain_end_between("prior_chain", low, high)
    )


def status_condition(status: rules.Status, on: date) -> Q:
    """SQL for `System.status_on(on) == status`, from the coverage summary columns."""
    eligible = Q(product__is_xpresscare_eligible=True)
    if status == rules.Status.INELIGIBLE:
        return ~eligible
    if status == rules.Status.NEVER:
        return eligible & Q(chain_starts_on__isnull=True)
    if status == rules.Status.PENDING:
        return eligible & Q(chain_starts_on__gt=on) & ~Q(prior_chain_starts_on__lte=on)
    return eligible & anchor_ends_between(on, *rules.chain_end_bounds(status, on))


def systems_with_status(
    systems: QuerySet[System], status: rules.Status, on: date
) -> QuerySet[System]:
    return systems.filter(status_condition(status, on))


def system_list(user) -> QuerySet[System]:
    """The systems a user may see, with what a list row shows."""
    systems = System.objects.select_related("product", "release", "customer")
    return for_user(systems, user)


def system_get(user, serial_number: str) -> System:
    """One system the user may see, by serial number; 404 otherwise."""
    return get_for_user(
        System.objects.select_related("product", "release", "customer", "reseller__region"),
        user,
        serial_number=serial_number,
    )


def release_versions() -> dict[int, tuple[str, ...]]:
    """Every release number of every product, by product id, in one query."""
    versions: dict[int, tuple[str, ...]] = {}
    for product_id, version in Release.objects.values_list("product_id", "version"):
        versions[product_id] = (*versions.get(product_id, ()), version)
    return versions
