"""What the pages say, word for word where it went wrong (issue 15, item 9)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from contracts.wording import po_text
from renewals import services

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.parametrize(
    ("po_number", "said"),
    [
        ("81074", "PO 81074"),
        ("PO-81074", "PO-81074"),
        ("po81074", "po81074"),
        ("POS-1", "PO POS-1"),
    ],
)
def test_a_po_number_is_said_once(po_number, said):
    assert po_text(po_number) == said


def test_every_page_names_itself_before_the_portals_name(client, alice):
    pages = [
        path
        for path in TEMPLATES.rglob("*.html")
        if '{% extends "base.html" %}' in path.read_text()
    ]
    assert pages
    untitled = [str(path) for path in pages if "{% block title %}" not in path.read_text()]
    assert untitled == []
    client.force_login(alice)
    assert "<title>Home · PartnerXpress</title>" in client.get("/").content.decode()


def test_the_plan_order_button_keeps_the_products_name(client, alice, never):
    client.force_login(alice)
    html = client.get(
        reverse("renewals:plan_new"), {"serial": never.serial_number}
    ).content.decode()
    assert "Submit XpressCare plan order" in html


def test_an_open_order_on_the_system_page_reads_without_a_stray_bracket(
    client, alice, expiring, place
):
    place(alice, "no_charge_upgrade", "PO-7", expiring.serial_number, customer_name="Globex")
    client.force_login(alice)
    html = client.get(reverse("system", args=[expiring.serial_number])).content.decode()
    assert "no-charge upgrade · PO-7 · " in html
    assert "Submitted )" not in html and "PO PO-7" not in html


def test_um_clients_at_the_included_number_are_said_plainly(client, alice, expiring):
    expiring.um_clients = 50
    expiring.save()
    client.force_login(alice)
    html = client.get(reverse("system", args=[expiring.serial_number])).content.decode()
    assert "UM client coverage not required: 50 clients, within the 50 included." in html


def test_a_contract_that_ended_a_year_ago_is_not_current(client, alice, lapsed):
    client.force_login(alice)
    html = client.get(reverse("system", args=[lapsed.serial_number])).content.decode()
    assert "(current)" not in html and "row--current" not in html


def test_a_never_covered_system_on_the_current_release_is_offered_a_plan_not_a_release(
    client, alice, acme, make_system
):
    system = make_system(acme, release="8.1", serial_number="CX-NEW-81")
    client.force_login(alice)
    html = client.get(reverse("system", args=[system.serial_number])).content.decode()
    assert "An XpressCare plan covers it from the day it is booked." in html
    assert "to 8.1" not in html and "(8.1)" not in html


def test_an_installed_upgrade_says_installed_not_from_8_1_to_8_1(
    client, alice, olivia, expiring, place, today
):
    order = place(
        alice, "no_charge_upgrade", "PO-8", expiring.serial_number, customer_name="Globex"
    )
    services.order_book(order=order, booked_on=today, by=olivia)
    services.order_ship(order=order, shipping_charge=Decimal("35.00"), by=olivia)
    services.order_install(order=order, installed_on=today, by=olivia)
    client.force_login(alice)
    html = client.get(reverse("renewals:order", args=[order.pk])).content.decode()
    assert '<td data-label="Upgrade to"><span class="muted">installed</span></td>' in html
    assert "shipping charge $35.00" in html
