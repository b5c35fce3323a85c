"""Reads of contracts data shared by views, API, jobs and services."""

from __future__ import annotations

from collections.abc import Iterable

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
