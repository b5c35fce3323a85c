"""The systems a user has ticked in XpressCare Contracts to renew together ("Renew selected").

The selection lives in the user's session, so it stays while they page, filter and sort the
list; every use checks each serial number again through the user's own systems.
"""

from __future__ import annotations

from collections.abc import Iterable

SESSION_KEY = "renewal_selection"
MAX_SELECTED = 500  # one "Renew selected" prices and checks this many systems at once


def selection_get(session) -> list[str]:
    """The serial numbers ticked, in the order they were ticked."""
    return list(session.get(SESSION_KEY, []))


def selection_change(
    session, *, add: Iterable[str] = (), remove: Iterable[str] = (), clear: bool = False
) -> list[str]:
    """Tick and untick serial numbers (already checked as the user's); the new selection.

    Beyond MAX_SELECTED, further serial numbers are not added.
    """
    removed = set(remove)
    selected = [] if clear else [s for s in selection_get(session) if s not in removed]
    for serial in add:
        if serial not in selected and serial not in removed and len(selected) < MAX_SELECTED:
            selected.append(serial)
    session[SESSION_KEY] = selected
    return selected
