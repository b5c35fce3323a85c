"""Back office of the renewals app (SPEC §3): orders, the monthly renewal e-mail's runs,
resellers ranked by their renewal outcomes, and who has a calendar feed on."""

from renewals.admin import calendar, digests, lines, orders, standings

__all__ = ["calendar", "digests", "lines", "orders", "standings"]
