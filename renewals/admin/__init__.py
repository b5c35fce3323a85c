"""Back office of the renewals app (SPEC §3): orders, the monthly renewal e-mail's runs, and
resellers ranked by their renewal outcomes."""

from renewals.admin import digests, lines, orders, standings

__all__ = ["digests", "lines", "orders", "standings"]
