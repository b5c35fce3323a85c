"""Renew several at once: tick systems in XpressCare Contracts, one renewal order per customer."""

from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.selection import MAX_SELECTED, SESSION_KEY
from renewals.models import Order
from tests.contracts.factories import system_renewing_on

pytestmark = pytest.mark.django_db

SELECTION = reverse("contracts:selection")
RENEW = reverse("renewals:renew_selected")


@pytest.fixture
def umbrella_and_wayne(acme, today):
    """Two of Acme's customers: Umbrella with two systems that can co-term, Wayne with one."""
    first = (today + relativedelta(months=1)).replace(day=1)
    wayne = system_renewing_on(acme, first, customer="Wayne", serial_number="WA-1")
    wayne.um_clients = 60  # more than 50: a renewal must cover them
    wayne.save()
    return [
        system_renewing_on(acme, first, customer="Umbrella", serial_number="UM-1"),
        system_renewing_on(
            acme, first + relativedelta(months=2), customer="Umbrella", serial_number="UM-2"
        ),
        wayne,
    ]


def select(client, *serials, **more):
    return client.post(SELECTION, {"add": serials, **more}, HTTP_ACCEPT="application/json")


def test_ticked_systems_stay_selected_and_can_be_unticked(client, alice, umbrella_and_wayne):
    client.force_login(alice)
    assert select(client, "UM-1", "WA-1").json()["selected"] == 2
    page = client.get(reverse("contracts:list"))
    assert page.context["selected"] == {"UM-1", "WA-1"}
    assert 'name="add" value="UM-1" id=' in page.content.decode()

    answer = client.post(SELECTION, {"remove": "UM-1"}, HTTP_ACCEPT="application/json")
    assert answer.json()["selected"] == 1
    assert client.post(SELECTION, {"clear": "1"}).status_code == 302
    assert client.session[SESSION_KEY] == []


def test_without_script_the_form_saves_the_ticks_of_the_page(client, alice, umbrella_and_wayne):
    client.force_login(alice)
    select(client, "UM-1", "UM-2")
    # the page showed UM-1, UM-2 and WA-1; the reseller unticked UM-2 and ticked WA-1
    client.post(SELECTION, {"shown": ["UM-1", "UM-2", "WA-1"], "add": ["UM-1", "WA-1"]})
    assert client.session[SESSION_KEY] == ["UM-1", "WA-1"]


def test_another_resellers_systems_cannot_be_selected(client, bob, umbrella_and_wayne):
    client.force_login(bob)
    assert select(client, "UM-1").json() == {"selected": 0, "added": [], "max": MAX_SELECTED}


def test_an_empty_selection_sends_the_reseller_back_with_a_message(client, alice):
    client.force_login(alice)
    answer = client.get(RENEW, follow=True)
    assert answer.redirect_chain[-1][0] == reverse("contracts:list")
    assert "Tick the systems to renew" in answer.content.decode()


def test_one_order_per_customer_each_with_its_po_and_prices(client, alice, umbrella_and_wayne):
    umbrella_1, umbrella_2, wayne = umbrella_and_wayne
    acme = wayne.reseller
    acme.discount_percent = Decimal(10)
    acme.save()
    client.force_login(alice)
    select(client, "UM-1", "UM-2", "WA-1")

    # given the page, with 12 months for every system and the co-term offered for Umbrella
    page = client.get(RENEW)
    parts = {part.customer.name: part for part in page.context["parts"]}
    assert list(parts) == ["Umbrella", "Wayne"]
    assert parts["Umbrella"].coterm.terms == {umbrella_1.pk: 14, umbrella_2.pk: 12}
    assert page.context["grand_total"] == Decimal("3564.00")  # (1200 + 1200 + 1560) × 0.9

    # when the reseller takes the co-term for Umbrella, then places both orders
    umbrella, wayne_form = f"c{umbrella_1.customer_id}", f"c{wayne.customer_id}"
    data = {
        f"{umbrella}-terms": "coterm",
        f"{umbrella}-po_number": "PO-UMB",
        f"{wayne_form}-po_number": "PO-WAY",
    }
    applied = client.post(RENEW, {**data, "apply": umbrella_1.customer_id})
    form = {part.customer.name: part.form for part in applied.context["parts"]}["Umbrella"]
    assert form.initial[f"term_{umbrella_1.pk}"] == 14
    fields = {f"{umbrella}-{name}": value for name, value in form.initial.items() if value}
    fields.update({f"{wayne_form}-system_{wayne.pk}": "on", f"{wayne_form}-term_{wayne.pk}": 12})
    fields[f"{wayne_form}-um_{wayne.pk}"] = "on"
    placed = client.post(RENEW, {**data, **fields, "place": "1"})

    # then there is one order per customer, with its own PO number and total
    orders = {order.po_number: order for order in Order.objects.all()}
    assert {po: order.customer.name for po, order in orders.items()} == {
        "PO-UMB": "Umbrella",
        "PO-WAY": "Wayne",
    }
    assert orders["PO-UMB"].total == Decimal("2340.00")  # (1400 + 1200) × 0.9
    assert orders["PO-WAY"].total == Decimal("1404.00")
    assert "is submitted" in placed.content.decode()
    assert client.session[SESSION_KEY] == []  # renewed: no longer selected


def test_a_customer_that_fails_places_nothing_and_the_others_go_on(
    client, alice, umbrella_and_wayne
):
    umbrella_1, umbrella_2, wayne = umbrella_and_wayne
    client.force_login(alice)
    select(client, "UM-1", "UM-2", "WA-1")
    umbrella, wayne_form = f"c{umbrella_1.customer_id}", f"c{wayne.customer_id}"
    fields = {
        f"{umbrella}-po_number": "PO-UMB",
        f"{umbrella}-system_{umbrella_1.pk}": "on",
        f"{umbrella}-term_{umbrella_1.pk}": 12,
        f"{umbrella}-system_{umbrella_2.pk}": "on",
        f"{umbrella}-term_{umbrella_2.pk}": 12,
        f"{wayne_form}-po_number": "PO-WAY",
        f"{wayne_form}-system_{wayne.pk}": "on",
        f"{wayne_form}-term_{wayne.pk}": 12,  # 60 UM clients, UM coverage left out: refused
        "place": "1",
    }

    answer = client.post(RENEW, fields)

    assert list(Order.objects.values_list("po_number", flat=True)) == ["PO-UMB"]
    assert Order.objects.get().lines.count() == 2
    html = answer.content.decode()
    assert "Not placed: WA-1: XpressCare for UM clients is required" in html
    assert client.session[SESSION_KEY] == ["WA-1"]  # still to renew


def test_the_page_issues_the_same_queries_for_5_systems_and_for_50(client, alice, acme, today):
    first = (today + relativedelta(months=1)).replace(day=1)
    client.force_login(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(RENEW).status_code == 200
        return len(captured)

    for number in range(5):
        system_renewing_on(acme, first, customer=f"C{number % 2}", serial_number=f"Q-{number}")
    select(client, *[f"Q-{number}" for number in range(5)])
    few = queries()
    for number in range(5, 50):
        system_renewing_on(acme, first, customer=f"C{number % 2}", serial_number=f"Q-{number}")
    select(client, *[f"Q-{number}" for number in range(50)])
    assert queries() == few
