"""Objects of the contracts app's portal URLs, for tests/test_tenancy_portal.py.

OBJECTS maps a URL name to a function that makes an object of `user`'s reseller and returns
the URL's kwargs for it.
"""

from partnerxpress.core.tenancy import user_today
from tests.contracts.factories import system_in_status


def a_system(user) -> dict:
    system = system_in_status(
        user.reseller, "expiring", user_today(user), customer=f"{user.username} customer"
    )
    return {"serial_number": system.serial_number}


OBJECTS = {
    "system": a_system,
    "contracts:decision": a_system,
}
