"""Back office of the contracts app (SPEC §3), one module per part of it."""

from contracts.admin import people, prices, purchases, records

__all__ = ["people", "prices", "purchases", "records"]
