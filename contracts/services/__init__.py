"""Writes of contracts data: booking XpressCare purchases and keeping coverage summaries.

The records staff keep (customers, products, systems) are written by `services.records`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from contracts import rules
from contracts.models import (
    SUMMARY_COLUMNS,
    AccessRequest,
    Contract,
    Release,
    System,
    User,
)
from contracts.selectors import system_facts
from contracts.services.decisions import renewal_decision_record, renewal_decision_withdraw
from contracts.services.records import (
    customer_create,
    customer_update,
    product_create,
    product_update,
    reseller_coverage_changed,
    system_check,
    system_create,
    system_delete,
    system_update,
)
from notifications.services import email_enqueue
from partnerxpress.core.errors import RuleViolation

__all__ = [
    "BookingBatch",
    "access_request_submit",
    "contract_book",
    "contract_cancel",
    "contracts_access_grant",
    "contracts_access_revoke",
    "customer_create",
    "customer_update",
    "product_create",
    "product_update",
    "renewal_decision_record",
    "renewal_decision_withdraw",
    "reseller_coverage_changed",
    "system_check",
    "system_create",
    "system_delete",
    "system_summarise_coverage",
    "system_update",
]

log = logging.getLogger(__name__)

SYSTEM_FIELDS = [
    "customer",
    "release",
    "installed_on",
    "um_clients",
    "tts_channels",
    *SUMMARY_COLUMNS,
]


def system_summarise_coverage(system: System, contracts: Iterable[Contract]) -> None:
    """Copy the last two chains of coverage onto the system's indexed columns (not saved)."""
    chain_list = rules.chains(contract.purchase.period for contract in contracts)
    last = chain_list[-1] if chain_list else None
    prior = chain_list[-2] if len(chain_list) > 1 else None
    system.chain_starts_on = last.starts_on if last else None
    system.chain_ends_on = last.ends_on if last else None
    system.prior_chain_starts_on = prior.starts_on if prior else None
    system.prior_chain_ends_on = prior.ends_on if prior else None


class BookingBatch:
    """Books purchases for many systems in one transaction: rules in memory, writes in bulk.

    `lock` takes the systems' rows (in primary-key order, so two batches never deadlock) and
    their contracts; `book` applies the rules of §1.3 and keeps the result in memory; `save`
    writes new systems, contracts, their history and the systems' coverage summaries.
    A single booking is a batch of one (`contract_book`); the CSV import is a batch of a file.
    Use inside `transaction.atomic()`.
    """

    def __init__(self) -> None:
        self.contracts: dict[int | str, list[Contract]] = {}
        self.releases: dict[int, list[Release]] = {}
        self.changed: dict[str, System] = {}  # to write: new, edited or with new coverage
        self.edited: dict[str, System] = {}  # new or edited: each gets a history record
        self.booked: list[Contract] = []

    def lock(self, systems: Iterable[System]) -> None:
        """Lock existing systems' rows and load their contracts."""
        ids = sorted(system.pk for system in systems)
        if not ids:
            return
        list(System.objects.filter(pk__in=ids).order_by("pk").select_for_update().values("pk"))
        for system_id in ids:
            self.contracts[system_id] = []
        for contract in Contract.objects.filter(system_id__in=ids).order_by("starts_on"):
            self.contracts[contract.system_id].append(contract)

    def add(self, system: System) -> None:
        """Take in a system not saved yet, or changed by the caller; `save` writes it."""
        # What a system copies from its customer, so no caller can get it wrong.
        system.reseller_id = system.customer.reseller_id
        system.customer_name = system.customer.name
        self.contracts.setdefault(self._key(system), [])
        self.changed[system.serial_number] = system
        self.edited[system.serial_number] = system

    def add_release(self, release: Release) -> None:
        self.product_releases(release.product_id).append(release)

    def product_releases(self, product_id: int) -> list[Release]:
        if product_id not in self.releases:
            self.releases[product_id] = list(Release.objects.filter(product_id=product_id))
        return self.releases[product_id]

    def purchases(self, system: System) -> list[Contract]:
        return self.contracts[self._key(system)]

    def book(
        self, system: System, booking: rules.Booking, *, po_number: str = "", **extra
    ) -> Contract:
        """Book one purchase as of its booking date, or raise RuleViolation (nothing kept)."""
        contracts = self.purchases(system)
        releases = self.product_releases(system.product_id)
        facts = system_facts(system, contracts, tuple(release.version for release in releases))
        period = rules.book(facts, booking)
        contract = Contract(
            system=system,
            kind=booking.kind,
            booked_on=booking.booked_on,
            starts_on=period.starts_on,
            term_months=booking.term_months,
            ends_on=period.ends_on,
            covers_um_clients=booking.covers_um_clients,
            covers_tts=booking.covers_tts,
            po_number=po_number,
            **extra,
        )
        contracts.append(contract)
        if booking.kind == rules.PurchaseKind.UPGRADE:
            # A paid upgrade moves the system to the current release.
            system.release = max(releases, key=lambda release: rules.version_key(release.version))
            self.edited[system.serial_number] = system
        system_summarise_coverage(system, contracts)
        self.changed[system.serial_number] = system
        self.booked.append(contract)
        return contract

    def save(self) -> None:
        """Write what the batch holds: new systems, then contracts, history and summaries."""
        systems = list(self.changed.values())
        new = [system for system in systems if system.pk is None]
        existing = [system for system in systems if system.pk is not None]
        edited = [system for system in self.edited.values() if system.pk is not None]
        System.objects.bulk_create(new, batch_size=2000)
        System.history.bulk_history_create(new, batch_size=2000)
        System.history.bulk_history_create(edited, update=True, batch_size=2000)
        for system in new:
            self.contracts[system.pk] = self.contracts.pop(system.serial_number)
        Contract.objects.bulk_create(self.booked, batch_size=2000)
        Contract.history.bulk_history_create(self.booked, batch_size=2000)
        System.objects.bulk_update(existing, SYSTEM_FIELDS, batch_size=2000)
        reseller_coverage_changed(system.reseller_id for system in systems)
        self.changed.clear()
        self.edited.clear()
        self.booked = []

    @staticmethod
    def _key(system: System) -> int | str:
        return system.pk if system.pk is not None else system.serial_number


@transaction.atomic
def contract_book(
    *,
    system: System,
    kind: rules.PurchaseKind | str,
    booked_on: date,
    term_months: int,
    covers_um_clients: bool = False,
    covers_tts: bool = False,
    po_number: str = "",
    **extra,
) -> Contract:
    """Book an XpressCare purchase for a system as of `booked_on`, or raise RuleViolation.

    The system row is locked first, so two bookings for one system are applied one after the
    other and the second sees the first (no overlap even when both arrive at once).
    `extra` holds further Contract fields (e.g. the order it came from).
    """
    batch = BookingBatch()
    batch.lock([system])
    # Fresh values: another booking may have changed the system while we waited for the lock.
    system = System.objects.select_related("product", "release").get(pk=system.pk)
    booking = rules.Booking(
        kind=rules.PurchaseKind(kind),
        booked_on=booked_on,
        term_months=term_months,
        covers_um_clients=covers_um_clients,
        covers_tts=covers_tts,
    )
    contract = batch.book(system, booking, po_number=po_number, **extra)
    batch.save()
    return contract


@transaction.atomic
def contract_cancel(*, contract: Contract) -> None:
    """Remove a booking made in error and recompute the system's coverage summary."""
    batch = BookingBatch()
    batch.lock([contract.system])
    contract.delete()
    system = System.objects.get(pk=contract.system_id)
    system_summarise_coverage(system, Contract.objects.filter(system=system))
    System.objects.filter(pk=system.pk).update(
        **{field: getattr(system, field) for field in SUMMARY_COLUMNS}
    )
    reseller_coverage_changed([system.reseller_id])


# ---------------------------------------------------------------------------------------------
# XpressCare Contracts access (SPEC §1.1): requested in the portal, granted by staff in admin.


def access_request_submit(*, user: User, message: str = "") -> AccessRequest:
    """Record a user's request for contracts access and e-mail the reseller's sales rep.

    Asking again while a request is open returns that request: one e-mail per request.
    """
    if user.has_contracts_access:
        raise RuleViolation("access_already_granted", "You have XpressCare Contracts access.")
    with transaction.atomic():
        # The user's row is the lock: two clicks at once make one request, not two.
        User.objects.select_for_update().filter(pk=user.pk).first()
        open_request = user.access_requests.filter(granted_at__isnull=True).first()
        if open_request is not None:
            return open_request
        access_request = AccessRequest.objects.create(user=user, message=message.strip()[:2000])
        reseller = user.reseller
        representative = reseller.sales_representative if reseller else None
        if representative is not None and representative.email:
            email_enqueue(
                key=f"access-request:{access_request.pk}:{representative.pk}",
                to=representative.email,
                template="access-request",
                context={
                    "request": access_request,
                    "user": user,
                    "reseller": reseller,
                    "representative": representative,
                    "admin_path": reverse("admin:contracts_accessrequest_changelist")
                    + "?granted=no",
                },
                reseller=reseller,
            )
        else:
            log.warning("access request %s: reseller has no sales representative", access_request)
    return access_request


@transaction.atomic
def contracts_access_grant(*, user: User, granted_by: User) -> bool:
    """Give a user contracts access, close their open requests and tell them by e-mail.

    False (and nothing changes) when the user has access already. The user's and the requests'
    history record who granted it and when.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_contracts_access:
        return False
    now = timezone.now()
    user.has_contracts_access = True
    user.contracts_access_granted_at = now
    user.contracts_access_granted_by = granted_by
    user._history_user = granted_by  # history names the granter outside a request too
    user.save(
        update_fields=[
            "has_contracts_access",
            "contracts_access_granted_at",
            "contracts_access_granted_by",
        ]
    )
    for access_request in user.access_requests.filter(granted_at__isnull=True):
        access_request.granted_at = now
        access_request.granted_by = granted_by
        access_request._history_user = granted_by
        access_request.save(update_fields=["granted_at", "granted_by"])
    if user.email:
        email_enqueue(
            key=f"access-granted:{user.pk}:{now:%Y%m%dT%H%M%S.%f}",
            to=user.email,
            template="access-granted",
            context={"user": user, "contracts_path": reverse("contracts:list")},
            reseller=user.reseller,
        )
    return True


@transaction.atomic
def contracts_access_revoke(*, user: User, revoked_by: User) -> bool:
    """Take contracts access away; False when the user had none."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.has_contracts_access:
        return False
    user.has_contracts_access = False
    user._history_user = revoked_by
    user.save(update_fields=["has_contracts_access"])
    return True
