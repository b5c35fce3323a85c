"""Reads of contracts data shared by views, API, jobs and services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from contracts import rules
from contracts.models import Contract, Product, Release, System


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


def status_condition(status: rules.Status, on: date) -> Q:
    """SQL for `System.status_on(on) == status`, from the coverage summary columns.

    The anchor chain (`rules.anchor_chain`) is the last chain if it has started by `on`, else
    the prior one if that has; its end falls between `rules.chain_end_bounds`.
    """
    eligible = Q(product__is_xpresscare_eligible=True)
    if status == rules.Status.INELIGIBLE:
        return ~eligible
    if status == rules.Status.NEVER:
        return eligible & Q(chain_starts_on__isnull=True)
    last_started = Q(chain_starts_on__lte=on)
    prior_started = Q(chain_starts_on__gt=on, prior_chain_starts_on__lte=on)
    if status == rules.Status.PENDING:
        return eligible & Q(chain_starts_on__gt=on) & ~Q(prior_chain_starts_on__lte=on)
    low, high = rules.chain_end_bounds(status, on)
    return eligible & (
        (last_started & _chain_end_between("chain", low, high))
        | (prior_started & _chain_end_between("prior_chain", low, high))
    )


def systems_with_status(
    systems: QuerySet[System], status: rules.Status, on: date
) -> QuerySet[System]:
    return systems.filter(status_condition(status, on))
