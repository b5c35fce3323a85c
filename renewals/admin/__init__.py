"""Back office of the renewals app (SPEC §3): orders, and the monthly renewal e-mail's runs."""

from renewals.admin import digests, orders

__all__ = ["digests", "orders"]
