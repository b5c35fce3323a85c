"""Rules of confirmation letters (SPEC §1.6): pure, no ORM, no clock."""

from __future__ import annotations

import hashlib
import json


def letter_version(facts: dict) -> str:
    """A short digest of what a letter states: equal facts, equal version, one letter."""
    canonical = json.dumps(facts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
