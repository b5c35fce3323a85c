"""Back office of the contracts app (SPEC §3), one module per part of it."""

from contracts.admin import people, purchases, records

__all__ = ["people", "purchases", "records"]
