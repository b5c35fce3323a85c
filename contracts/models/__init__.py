"""The contracts app's models: one module per part, all of them read as contracts.models.X."""

from contracts.models.decisions import RenewalDecision
from contracts.models.letters import Letter, LetterRequest
from contracts.models.prices import PriceListEntry, TermDiscount
from contracts.models.records import (
    KIND_CHOICES,
    SUMMARY_COLUMNS,
    AccessRequest,
    Contract,
    Customer,
    Product,
    Region,
    Release,
    Reseller,
    System,
    User,
)

__all__ = [
    "KIND_CHOICES",
    "SUMMARY_COLUMNS",
    "AccessRequest",
    "Contract",
    "Customer",
    "Letter",
    "LetterRequest",
    "PriceListEntry",
    "Product",
    "Region",
    "Release",
    "RenewalDecision",
    "Reseller",
    "System",
    "TermDiscount",
    "User",
]
