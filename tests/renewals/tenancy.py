"""Objects of the order pages, for the portal tenancy walker (tests/test_tenancy_portal.py).

OBJECTS maps a URL name to a function that makes an object of `user`'s reseller and returns
the URL's kwargs for it.
"""

from dateutil.relativedelta import relativedelta

from contracts.services import contract_book
from partnerxpress.core.tenancy import user_today
from renewals import services
from renewals.services.calendar import calendar_feed_turn_on
from tests.factories import CustomerFactory, ReleaseFactory, SystemFactory


def covered_system(user):
    """A system of the user's reseller, covered today, on CallXpress 8.0."""
    release = ReleaseFactory(product__name="CallXpress", version="8.0")
    system = SystemFactory(
        customer=CustomerFactory(reseller=user.reseller, name=f"{user.username} orders customer"),
        product=release.product,
        release=release,
    )
    contract_book(
        system=system,
        kind="plan",
        booked_on=user_today(user) - relativedelta(months=6),
        term_months=12,
    )
    return system


def an_order(user) -> dict:
    system = covered_system(user)
    order, _ = services.order_submit(
        user=user,
        kind="renewal",
        po_number=f"PO-{system.serial_number}",
        lines=[services.LineRequest(system.serial_number, 12)],
    )
    return {"pk": order.pk}


def a_customer(user) -> dict:
    return {"customer_pk": covered_system(user).customer_id}


OBJECTS = {
    "renewals:order": an_order,
    "renewals:renewal_new": a_customer,
    "renewals:customer_quote": a_customer,
}


def a_calendar_feed(user) -> dict:
    """The user's calendar feed, on: its token is the address's only key."""
    return {"token": calendar_feed_turn_on(user=user)}


SECRET_ADDRESSES = {"calendar_feed": a_calendar_feed}
