"""The order desk in admin: book or reject in one step, ship with a charge, mark installed."""

import pytest
from django.urls import reverse

from contracts.rules import MESSAGES
from notifications.models import Email
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, db):
    client.force_login(StaffFactory(username="desk", is_superuser=True))
    return client


def url(action, order):
    return reverse(f"admin:renewals_order_{action}", args=[order.pk])


def test_the_desk_books_an_order_in_one_step(desk, alice, expiring, place, today):
    order = place(alice, "renewal", "PO-1", ("CX-EXP-1", 12))
    page = desk.get(url("decide", order))
    assert page.status_code == 200 and page.context["form"].initial["booked_on"] == today
    answer = desk.post(url("decide", order), {"decision": "book", "booked_on": today.isoformat()})
    assert answer.status_code == 302
    order.refresh_from_db()
    assert order.state == "booked" and order.lines.get().contract is not None
    assert Email.objects.filter(kind="order-booked", to=alice.email).count() == 1


def test_a_booking_the_rules_refuse_shows_the_message_and_books_nothing(
    desk, alice, expiring, place, today
):
    order = place(alice, "renewal", "PO-1", ("CX-EXP-1", 12))
    too_late = expiring.chain_ends_on.replace(year=expiring.chain_ends_on.year + 1)
    answer = desk.post(
        url("decide", order), {"decision": "book", "booked_on": too_late.isoformat()}
    )
    assert answer.status_code == 200
    assert "CX-EXP-1: " + MESSAGES["renewal_too_late"] in answer.content.decode()
    order.refresh_from_db()
    assert order.state == "submitted"


def test_rejecting_needs_a_reason(desk, alice, expiring, place, today):
    order = place(alice, "renewal", "PO-1", ("CX-EXP-1", 12))
    data = {"decision": "reject", "booked_on": today.isoformat(), "reason": ""}
    assert (
        "Give the reason for the rejection"
        in desk.post(url("decide", order), data).content.decode()
    )
    data["reason"] = "Wrong customer."
    assert desk.post(url("decide", order), data).status_code == 302
    order.refresh_from_db()
    assert (order.state, order.rejection_reason) == ("rejected", "Wrong customer.")


def test_an_upgrade_is_shipped_with_its_charge_then_installed(
    desk, olivia, alice, expiring, place, today
):
    from renewals import services

    order = place(alice, "no_charge_upgrade", "PO-1", "CX-EXP-1", customer_name="Globex")
    services.order_book(order=order, booked_on=today, by=olivia)
    change = desk.get(reverse("admin:renewals_order_change", args=[order.pk])).content.decode()
    assert url("ship", order) in change
    assert desk.post(url("ship", order), {"shipping_charge": "-1"}).status_code == 200
    assert desk.post(url("ship", order), {"shipping_charge": "42.50"}).status_code == 302
    assert desk.post(url("install", order), {"installed_on": today.isoformat()}).status_code == 302
    order.refresh_from_db()
    expiring.refresh_from_db()
    assert (order.state, str(order.shipping_charge), expiring.release.version) == (
        "installed",
        "42.50",
        "8.1",
    )
    history = desk.get(reverse("admin:renewals_order_history", args=[order.pk]))
    assert history.status_code == 200


def test_the_order_list_offers_the_next_step_and_finds_orders_by_serial(
    desk, alice, expiring, place
):
    order = place(alice, "renewal", "PO-1", ("CX-EXP-1", 12))
    page = desk.get(reverse("admin:renewals_order_changelist"), {"q": "CX-EXP-1"}).content.decode()
    assert url("decide", order) in page and "PO-1" in page
