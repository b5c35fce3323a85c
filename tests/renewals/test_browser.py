"""In a real browser: a reseller places a renewal and a no-charge upgrade; the desk books both."""

from datetime import timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from renewals.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def shot(tab, name: str) -> None:
    """A screenshot of a second tab (the `screenshot` fixture takes the first one)."""
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "partnerxpress")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_reseller_orders_a_renewal_and_an_upgrade_and_sees_them_booked(
    page, screenshot, chromium, live_server, alice, olivia, acme, make_system, book, today
):
    # given two Globex systems on 8.0 whose coverage ends in a month and in four
    first = make_system(acme, customer="Globex", serial_number="CX-EXP-1", um_clients=80)
    second = make_system(acme, customer="Globex", serial_number="CX-EXP-2", tts_channels=2)
    start = (today - relativedelta(months=11)).replace(day=1)
    book(first, "plan", start, covers_um_clients=True)
    book(second, "plan", start + relativedelta(months=3), covers_tts=True)
    olivia.is_superuser = True
    olivia.save()

    # when alice sees the one-click orders on the system page
    sign_in(page, "alice")
    page.goto("/systems/CX-EXP-1/")
    page.wait_for_selector(".order-offers [data-order-kind=no_charge_upgrade]")
    screenshot("system-page-orders")

    # and finds CX-EXP-1 from the Orders page and follows the renewal offer
    page.goto("/orders/")
    screenshot("orders-empty")
    page.fill("#id_serial", "CX-EXP-1")
    page.click(".order-find button")
    page.wait_for_selector(".order-offers")
    screenshot("order-start")
    page.click("[data-order-kind=renewal]")
    page.wait_for_selector(".renewal-quote")

    # she applies the co-term suggestion, gives her PO number and submits
    assert page.is_checked(f"#id_system_{first.pk}")
    assert page.is_checked(f"input[name=um_{first.pk}]")  # required add-on, preselected
    page.click(".coterm a")
    page.wait_for_selector(".renewal-quote")
    assert page.is_checked(f"#id_system_{second.pk}")
    assert page.input_value(f"#id_term_{first.pk}") == "15"
    page.fill("#id_po_number", "PO-REN-1")
    screenshot("renewal-new")
    page.click("#renewal-form button[type=submit]")
    page.wait_for_selector("text=is submitted")
    screenshot("order-submitted")

    # and orders the no-charge upgrade of CX-EXP-1 in one click from its offers
    page.goto("/orders/new/?serial=CX-EXP-1")
    page.click("[data-order-kind=no_charge_upgrade]")
    page.wait_for_selector(".order-form")
    assert page.input_value("#id_customer_name") == "Globex"
    page.fill("#id_po_number", "PO-UPG-1")
    screenshot("no-charge-upgrade-new")
    page.click(".order-form button[type=submit]")
    page.wait_for_selector("text=is submitted")

    # then olivia books both from the order desk in admin
    desk = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    admin = desk.new_page()
    sign_in(admin, "olivia")
    admin.goto("/admin/renewals/order/")
    shot(admin, "orders-admin")
    for po in ("PO-REN-1", "PO-UPG-1"):
        admin.goto("/admin/renewals/order/")
        admin.click(f"tr:has-text('{po}') >> text=Book or reject")
        admin.wait_for_selector("input[type=submit]")
        if po == "PO-UPG-1":
            shot(admin, "orders-admin-decide")
        admin.click("input[type=submit]")
        admin.wait_for_selector("text=booked as of")
    desk.close()

    # and alice sees both orders booked, the renewal with its coverage dates
    page.goto("/orders/")
    rows = page.locator("table.orders tbody tr")
    assert rows.count() == 2
    assert page.locator("table.orders .badge--order-booked").count() == 2
    screenshot("orders-booked")
    page.click("tr:has-text('PO-REN-1') a")
    page.wait_for_selector("h1 .badge--order-booked")
    assert page.locator("text=XC-").count() == 2  # one contract per system
    screenshot("order-booked-detail")


def test_rejected_and_shipped_orders_say_why_and_what_it_costs(
    page, screenshot, alice, olivia, acme, make_system, book, place, today
):
    from decimal import Decimal

    from renewals import services

    system = make_system(acme, customer="Globex", serial_number="CX-EXP-1")
    book(system, "plan", today - relativedelta(months=11))
    rejected = place(alice, "renewal", "PO-R-1", ("CX-EXP-1", 24))
    services.order_reject(
        order=rejected, reason="PO-R-1 is not signed: send a signed PO.", by=olivia
    )
    shipped = place(alice, "no_charge_upgrade", "PO-U-1", "CX-EXP-1", customer_name="Globex")
    services.order_book(order=shipped, booked_on=today, by=olivia)
    services.order_ship(order=shipped, shipping_charge=Decimal("35.00"), by=olivia)

    sign_in(page, "alice")
    page.goto("/orders/")
    assert page.locator("text=PO-R-1 is not signed: send a signed PO.").count() == 1
    screenshot("orders-states")
    page.goto(f"/orders/{rejected.pk}/")
    screenshot("order-rejected")
    page.goto(f"/orders/{shipped.pk}/")
    assert page.locator("text=shipping charge $35.00").count() == 1
    screenshot("order-shipped")


def admin_sign_in(tab, username: str) -> None:
    tab.goto("/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", "partnerxpress")
    tab.click("input[type=submit]")
    tab.wait_for_selector("#site-name")


def test_the_desk_sees_the_dates_before_booking_and_a_booked_order_stays_booked(
    admin_tab, alice, olivia, acme, make_system, book, place, today
):
    # given two renewals waiting for the desk
    for number in (1, 2):
        system = make_system(acme, customer=f"Customer {number}", serial_number=f"CX-REN-{number}")
        book(system, "plan", today - relativedelta(months=11))
        place(alice, "renewal", f"PO-{number}", (f"CX-REN-{number}", 13 + number))
    olivia.is_superuser = True
    olivia.save()
    admin_sign_in(admin_tab, "olivia")

    # when olivia opens "Book or reject" for the first, she sees its dates before booking
    admin_tab.goto("/admin/renewals/order/")
    admin_tab.click("tr:has-text('PO-1') >> text=Book or reject")
    preview = admin_tab.locator(".booking-preview")
    text = preview.inner_text().lower()
    starts = today - relativedelta(months=11) + relativedelta(months=12)  # the day after it ends
    ends = starts + relativedelta(months=14) - timedelta(days=1)
    assert "14 months" in text and f"{starts}\t{ends}" in text and "new coverage ends" in text
    admin_tab.shot("admin-order-decide-preview")
    admin_tab.click("input[type=submit]")
    admin_tab.wait_for_selector("text=booked as of")

    # then the booked order is shown, not edited, and says why
    assert "the booking is final" in admin_tab.locator(".locked-reason").inner_text()
    assert admin_tab.locator("input[name=_save]").count() == 0
    assert admin_tab.locator("a.deletelink").count() == 0
    admin_tab.shot("admin-order-booked-locked")
    admin_tab.click("a.historylink")
    admin_tab.click("#change-history tbody tr:last-child td:first-child a")  # Created
    first = Order.objects.get(po_number="PO-1")
    admin_tab.wait_for_selector(f"text=View {first}")
    assert admin_tab.locator("input[type=submit]").count() == 0  # no Revert
    admin_tab.shot("admin-order-history-version")

    # and she books the other from the list, after seeing who is told
    admin_tab.goto("/admin/renewals/order/")
    admin_tab.check("tr:has-text('PO-2') input.action-select")
    admin_tab.select_option("select[name=action]", "book_selected")
    admin_tab.click("button[name=index]")
    admin_tab.wait_for_selector(".confirmation")
    assert alice.email in admin_tab.locator(".confirmation").inner_text()
    assert "CX-REN-2" in admin_tab.locator(".booking-preview").inner_text()
    admin_tab.shot("admin-orders-book-selected")
    admin_tab.click("input[value='Yes, book them']")
    admin_tab.wait_for_selector("text=1 order(s) booked")
    assert admin_tab.locator("tr:has-text('PO-2') >> text=Booked").count() == 1
