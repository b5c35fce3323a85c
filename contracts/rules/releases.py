"""Release numbers (SPEC §1.2): dotted numbers that compare as numbers; current and supported.

Pure functions, no ORM, no clock; read as `contracts.rules.<name>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from partnerxpress.core.errors import RuleViolation

VERSION = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6})*")  # six digits a part: see version_sort_key


def version_key(version: str) -> tuple[int, ...]:
    """Dotted numbers compare numerically: 8.10 > 8.9."""
    if not VERSION.fullmatch(version.strip()):
        raise RuleViolation(
            "invalid_version", f"“{version}” is not a release number like 8.1 or 8.1.2.", "version"
        )
    return tuple(int(part) for part in version.strip().split("."))


def version_sort_key(version: str) -> str:
    """A string that sorts like `version_key`, for an indexed database column."""
    return ".".join(f"{part:06d}" for part in version_key(version))


def supported_releases(versions: Iterable[str]) -> tuple[str, ...]:
    """The current release and the one before it, newest first."""
    return _newest_two(frozenset(versions))


@lru_cache(maxsize=1024)
def _newest_two(versions: frozenset[str]) -> tuple[str, ...]:
    # Remembered: a list asks it for every row, of a few products' same release numbers.
    return tuple(sorted(versions, key=version_key, reverse=True)[:2])


def current_release(versions: Iterable[str]) -> str | None:
    """A product's current release: its highest version (None before its first release)."""
    supported = supported_releases(versions)
    return supported[0] if supported else None
