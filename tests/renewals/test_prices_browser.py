"""In a real browser: prices follow the choice, several customers renewed at once, the quote PDF."""

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from contracts.models import System
from renewals.models import Order
from tests.contracts.factories import system_renewing_on
from tests.renewals.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def two_customers(acme, today):
    """Acme (10 % discount): Umbrella with two systems, Wayne with one (2 TTS channels)."""
    acme.discount_percent = Decimal(10)
    acme.save()
    first = (today + relativedelta(months=1)).replace(day=1)
    wayne = system_renewing_on(acme, first, customer="Wayne", serial_number="WA-1")
    # Not `wayne.save()`: this instance predates the booking, and saving it would write back
    # its empty coverage summary (the list reads the summary, as the API list does).
    System.objects.filter(pk=wayne.pk).update(tts_channels=2)
    wayne.refresh_from_db()
    return [
        system_renewing_on(acme, first, customer="Umbrella", serial_number="UM-1"),
        system_renewing_on(acme, first, customer="Umbrella", serial_number="UM-2"),
        wayne,
    ]


def test_a_reseller_renews_systems_of_two_customers_at_once(page, screenshot, alice, two_customers):
    # given alice ticks three systems of two customers in XpressCare Contracts
    sign_in(page, "alice")
    page.goto("/contracts/?sort=serial")
    for serial in ("UM-1", "UM-2", "WA-1"):
        page.get_by_label(f"Select {serial} to renew").check()
        page.wait_for_function(
            "n => document.querySelector('[data-selection-count]').textContent == n",
            arg=str(["UM-1", "UM-2", "WA-1"].index(serial) + 1),
        )
    screenshot("contracts-selected")
    page.goto("/contracts/?sort=expiry")  # another order of the list: still ticked
    assert page.get_by_label("Select WA-1 to renew").is_checked()

    # when she renews them: 12 months each, her 10 % off, Wayne's TTS channels required
    page.click("text=Renew selected")
    page.wait_for_selector(".customer-renewal")
    assert page.inner_text(".grand-total strong") == "$3,510.00"  # (1200 + 1200 + 1500) × 0.9
    wayne = two_customers[2]
    page.select_option(f"[name=c{wayne.customer_id}-term_{wayne.pk}]", "24")
    row = page.locator(f"[data-price-line='{wayne.pk}']")
    assert row.locator("[data-price-list]").inner_text() == "$3,000.00"
    assert row.locator("[data-price-net]").inner_text() == "$2,565.00"  # 5 % for 24 months, 10 %
    assert page.inner_text(".grand-total strong") == "$4,725.00"
    screenshot("renew-selected")
    for number, po_field in enumerate(page.locator("input[name$=po_number]").all()):
        po_field.fill(f"PO-{number}")
    page.click("button[name=place]")
    page.wait_for_selector("text=See your orders")
    screenshot("renew-selected-placed")

    # then she sees both orders with their totals
    page.click("text=See your orders")
    totals = {order.customer.name: order.total for order in Order.objects.all()}
    assert totals == {"Umbrella": Decimal("2160.00"), "Wayne": Decimal("2565.00")}
    orders_page = page.inner_text("table.orders")
    assert "$2,160.00" in orders_page and "$2,565.00" in orders_page


def test_the_customer_quote_shows_list_prices_only(page, alice, two_customers, tmp_path):
    umbrella = two_customers[0]
    sign_in(page, "alice")
    page.goto(f"/orders/new/renewal/{umbrella.customer_id}/?system=UM-1")
    page.check(f"#id_system_{two_customers[1].pk}")
    page.select_option(f"#id_term_{umbrella.pk}", "13")

    with page.expect_download() as download:
        page.click("text=Quote for Umbrella (PDF)")
    pdf = tmp_path / "quote.pdf"
    download.value.save_as(pdf)

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "XpressCare renewal quote" in text and "Acme Voice" in text
    assert "$1,300.00" in text and "$1,200.00" in text and "$2,500.00" in text  # list prices
    assert "$1,170.00" not in text  # never the reseller's net price
    assert "valid for 30 days" in text
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "90", "-singlefile", str(pdf), str(ARTIFACTS / "quote")],
        check=True,
    )
    assert (ARTIFACTS / "quote.png").stat().st_size > 20_000
