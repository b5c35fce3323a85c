"""Reads of confirmation letters: what a letter states, the letters a user may see."""

from __future__ import annotations

from dataclasses import dataclass

from contracts import rules as contract_rules
from contracts.models import Contract, Letter, System
from contracts.rules import letters as rules
from partnerxpress.core.tenancy import for_user, get_for_user


def letter_facts(contract: Contract) -> dict:
    """Everything a confirmation letter states about a contract, as plain JSON values."""
    system = contract.system
    customer = system.customer
    reseller = system.reseller
    return {
        "contract_number": contract.number,
        "po_number": contract.po_number,
        "kind": contract.kind,
        "kind_label": contract_rules.KIND_LABELS[contract_rules.PurchaseKind(contract.kind)],
        "booked_on": contract.booked_on.isoformat(),
        "starts_on": contract.starts_on.isoformat(),
        "ends_on": contract.ends_on.isoformat(),
        "term_months": contract.term_months,
        "covers_um_clients": contract.covers_um_clients,
        "covers_tts": contract.covers_tts,
        "serial_number": system.serial_number,
        "product": system.product.name,
        "release": system.release.version,
        "um_clients": system.um_clients,
        "tts_channels": system.tts_channels,
        "customer": customer.name,
        "site_address": customer.site_address,
        "country": customer.country,
        "reseller": reseller.name,
        "reseller_account": reseller.account_number,
        "region": reseller.region.code,
        "language": reseller.region.language,  # how its dates are written
    }


LETTER_CONTRACTS = Contract.objects.select_related(
    "system__customer", "system__product", "system__release", "system__reseller__region"
)


def letter_contract_get(user, contract_id: int) -> Contract:
    """A contract the user may ask a letter for; 404 for another reseller's, like a missing one."""
    return get_for_user(LETTER_CONTRACTS, user, pk=contract_id)


def letter_get(user, letter_id: int) -> Letter:
    """A ready letter the user may download; 404 otherwise."""
    letters = Letter.objects.select_related("contract__system")
    return get_for_user(letters, user, pk=letter_id, status=Letter.Status.READY)


@dataclass(frozen=True)
class ContractLetters:
    """One contract on the system page with its letter for the current version and the latest."""

    contract: Contract
    current: Letter | None  # the letter of what the contract states today, in any state
    latest_ready: Letter | None  # the newest letter that can be downloaded


def system_letter_list(user, system: System) -> list[ContractLetters]:
    """The system's contracts, newest first, with their letters; two queries."""
    contracts = list(
        for_user(LETTER_CONTRACTS, user).filter(system=system).order_by("-starts_on", "-pk")
    )
    letters: dict[int, list[Letter]] = {}
    in_order = Letter.objects.filter(contract__in=contracts).order_by("-generated_at", "-pk")
    for letter in in_order.defer("facts"):
        letters.setdefault(letter.contract_id, []).append(letter)
    rows = []
    for contract in contracts:
        version = rules.letter_version(letter_facts(contract))
        own = letters.get(contract.pk, [])
        rows.append(
            ContractLetters(
                contract=contract,
                current=next((letter for letter in own if letter.version == version), None),
                latest_ready=next((ltr for ltr in own if ltr.status == Letter.Status.READY), None),
            )
        )
    return rows
