"""Browser tests use the contracts pages' data (Acme's systems in every status)."""

from tests.contracts.conftest import acme_systems, today  # noqa: F401
