"""The order desk in admin: book or reject in one step, ship with a charge, mark installed."""

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.urls import reverse

from contracts.rules import MESSAGES
from notifications.models import Email
from renewals.models import Order
from tests.dates import us
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


# --- what is final stays final; the desk sees before it books (issue 18) ---------------------


def test_a_booked_order_is_shown_not_edited_and_says_why(
    desk, olivia, alice, expiring, place, today
):
    from renewals import services

    order = place(alice, "renewal", "PO-1", ("CX-EXP-1", 12))
    services.order_book(order=order, booked_on=today, by=olivia)
    change = reverse("admin:renewals_order_change", args=[order.pk])
    html = desk.get(change).content.decode()
    assert f"Booked on {us(today)} by olivia: the booking is final." in html
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert reverse("admin:renewals_order_delete", args=[order.pk]) not in html
    assert desk.post(change, {}).status_code == 403
    assert (
        desk.post(
            reverse("admin:renewals_order_delete", args=[order.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    history = desk.get(reverse("admin:renewals_order_history", args=[order.pk])).content.decode()
    changes = " ".join(history.split())
    assert "Deleted user (pk=None)" not in changes
    assert "<strong>Booked by:</strong> — &nbsp;&rarr;&nbsp;&nbsp;olivia" in changes
    assert f"<strong>Booked on:</strong> — &nbsp;&rarr;&nbsp;&nbsp;{today:%Y-%m-%d}" in changes


def test_the_booking_page_shows_each_lines_coverage_end_and_new_dates(
    desk, alice, expiring, place, today
):
    order = place(alice, "renewal", "PO-1", ("CX-EXP-1", 13))
    html = desk.get(url("decide", order)).content.decode()
    end = expiring.chain_ends_on
    new_start = end + relativedelta(days=1)
    new_end = new_start + relativedelta(months=13, days=-1)
    for shown in (f"{end:%Y-%m-%d}", f"{new_start:%Y-%m-%d}", f"{new_end:%Y-%m-%d}", "13 months"):
        assert shown in html


def test_the_booking_page_shows_a_line_the_rules_would_refuse(desk, alice, expiring, place, today):
    order = place(alice, "renewal", "PO-1", ("CX-EXP-1", 12))
    too_late = expiring.chain_ends_on + relativedelta(days=31)
    html = desk.post(
        url("decide", order), {"decision": "book", "booked_on": too_late.isoformat()}
    ).content.decode()
    assert "Refused: " + MESSAGES["renewal_too_late"] in html


def test_the_desk_books_several_orders_at_once_after_seeing_what_will_happen(
    desk, alice, acme, make_system, book, place, today
):
    from dateutil.relativedelta import relativedelta as months

    orders = []
    for number in (1, 2):
        system = make_system(acme, customer=f"Customer {number}", serial_number=f"CX-{number}")
        book(system, "plan", today - months(months=11))
        orders.append(place(alice, "renewal", f"PO-{number}", (f"CX-{number}", 12)))
    changelist = reverse("admin:renewals_order_changelist")
    action = {"action": "book_selected", "_selected_action": [order.pk for order in orders]}
    asked = desk.post(changelist, action).content.decode()
    assert "Book 2 order(s), each as of its reseller" in asked
    assert "2 e-mails to 1 person" in asked and alice.email in asked
    assert "CX-1" in asked and "CX-2" in asked and "New coverage ends" in asked
    assert Email.objects.count() == 0
    done = desk.post(changelist, {**action, "post": "yes"}, follow=True).content.decode()
    assert "2 order(s) booked" in done
    assert [order.state for order in Order.objects.order_by("pk")] == ["booked", "booked"]
    assert Email.objects.filter(kind="order-booked").count() == 2


def test_bulk_booking_books_what_the_rules_allow_and_says_what_they_refuse(
    desk, olivia, alice, expiring, lapsed, never, place, book, today
):
    from renewals import services

    renewal = place(alice, "renewal", "PO-1", ("CX-EXP-1", 12))
    upgrade = place(alice, "upgrade", "PO-2", ("CX-LAP-1", 12))
    plan = place(alice, "plan", "PO-3", ("CX-NEW-1", 12))
    services.order_book(order=plan, booked_on=today, by=olivia)
    book(lapsed, "upgrade", today - relativedelta(days=1))  # upgraded directly: now covered
    changelist = reverse("admin:renewals_order_changelist")
    action = {"action": "book_selected", "_selected_action": [renewal.pk, upgrade.pk, plan.pk]}
    asked = desk.post(changelist, action).content.decode()
    assert f"{plan} is booked: left as it is." in asked
    assert "Refused: This system is covered by XpressCare" in asked  # seen before booking
    done = desk.post(changelist, {**action, "post": "yes"}, follow=True).content.decode()
    assert f"{upgrade} not booked: CX-LAP-1: This system is covered by XpressCare" in done
    assert "1 order(s) booked" in done
    states = dict(Order.objects.values_list("po_number", "state"))
    assert states == {"PO-1": "booked", "PO-2": "submitted", "PO-3": "booked"}


def test_shipping_charges_show_the_resellers_currency(
    desk, olivia, bob, brightline, make_system, book, place
):
    from decimal import Decimal

    from partnerxpress.core.tenancy import user_today
    from renewals import services

    today = user_today(bob)
    system = make_system(brightline, customer="Wayne", serial_number="CX-UK-1")
    book(system, "plan", today - relativedelta(months=6))
    order = place(bob, "no_charge_upgrade", "PO-UK", "CX-UK-1", customer_name="Wayne")
    services.order_book(order=order, booked_on=today, by=olivia)
    answer = desk.post(url("ship", order), {"shipping_charge": "1299.60"}, follow=True)
    assert "£1,299.60 shipping billed to the reseller." in answer.content.decode()
    page = desk.get(reverse("admin:renewals_order_change", args=[order.pk])).content.decode()
    assert "£1,299.60" in page
    shipped = Email.objects.get(kind="order-shipped")
    assert "Shipping charge billed to your company: £1,299.60" in shipped.body_text
    assert "<strong>£1,299.60</strong>" in shipped.body_html
    assert Order.objects.get(pk=order.pk).shipping_charge == Decimal("1299.60")


def test_the_start_page_shows_what_waits_and_links_to_it(desk, alice, expiring, place, db):
    order = place(alice, "renewal", "PO-Q", ("CX-EXP-1", 12))
    Email.objects.create(key="t", kind="test", to="x@example.com", subject="s", status="failed")
    page = desk.get(reverse("admin:index"))
    queue = {line.label: line for line in page.context["queue"]}
    waiting = queue["Orders to book or reject"]
    assert waiting.count == 1 and not waiting.urgent
    listed = desk.get(waiting.url)
    assert list(listed.context["cl"].result_list) == [order]
    assert queue["E-mails that failed"].count == 1 and queue["E-mails that failed"].urgent

    viewer = StaffFactory(username="cases-only")
    viewer.user_permissions.set(Permission.objects.filter(codename="view_case"))
    desk.force_login(viewer)
    lines = [line.label for line in desk.get(reverse("admin:index")).context["queue"]]
    assert lines == ["Open support cases"]
