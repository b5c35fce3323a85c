"""Back office of the contracts app (SPEC §3), one module per part of it."""

from contracts.admin import letters, people, prices, purchases, records

__all__ = ["letters", "people", "prices", "purchases", "records"]
