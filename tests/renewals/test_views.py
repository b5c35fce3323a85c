"""Portal order pages: the quote, the co-term, one-click offers, refusals, double submits."""

from datetime import timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from contracts.rules import MESSAGES
from partnerxpress.core.errors import RuleViolation
from renewals import services
from renewals.models import Order
from renewals.rules import ORDER_MESSAGES
from renewals.selectors import system_entitlement, system_open_orders
from tests.contracts.factories import system_renewing_on
from tests.dates import us

pytestmark = pytest.mark.django_db


def renewal_url(system) -> str:
    return reverse("renewals:renewal_new", args=[system.customer_id])


def test_the_renewal_page_quotes_every_term_with_its_dates(client, alice, expiring):
    client.force_login(alice)
    page = client.get(renewal_url(expiring), {"system": expiring.serial_number})
    assert page.status_code == 200
    html = page.content.decode()
    start = expiring.chain_ends_on + timedelta(days=1)
    for term in (12, 13, 14, 15, 24, 36):
        end = start + relativedelta(months=term) - timedelta(days=1)
        assert f"{term} months · {date_format(start)} to {date_format(end)}" in html
    assert f'name="system_{expiring.pk}" id="id_system_{expiring.pk}" checked' in html


def test_required_add_ons_start_ticked_and_an_order_without_them_is_refused(
    client, alice, acme, make_system, book, today
):
    system = make_system(acme, serial_number="CX-UM", um_clients=80)
    book(system, "plan", today - relativedelta(months=11), covers_um_clients=True)
    client.force_login(alice)
    page = client.get(renewal_url(system), {"system": "CX-UM"}).content.decode()
    assert f'name="um_{system.pk}" checked' in page
    assert "required: 80 UM clients" in page

    answer = client.post(
        renewal_url(system),
        {f"system_{system.pk}": "on", f"term_{system.pk}": "12", "po_number": "PO-1"},
    )
    assert answer.status_code == 200
    assert (
        "CX-UM: XpressCare for UM clients is required: this system has 80 unified-messaging "
        "clients (more than 50)." in answer.content.decode()
    )
    assert not Order.objects.exists()


def test_the_co_term_suggestion_is_one_click_away(client, alice, acme, make_system, book, today):
    # given two systems of one customer whose coverage ends three months apart on month ends
    first_start = (today - relativedelta(months=10)).replace(day=1)
    a = make_system(acme, serial_number="CX-A")
    b = make_system(acme, serial_number="CX-B")
    book(a, "plan", first_start)
    book(b, "plan", first_start + relativedelta(months=3))
    client.force_login(alice)

    # when alice opens the renewal of one, then follows the suggestion's link
    page = client.get(renewal_url(a), {"system": "CX-A"})
    link = page.context["coterm_url"]
    assert page.context["coterm_rows"] == [("CX-A", 15), ("CX-B", 12)]
    applied = client.get(renewal_url(a) + link)

    # then both systems are ticked with the terms that end them on one date
    form = applied.context["form"]
    assert form.initial[f"system_{a.pk}"] and form.initial[f"system_{b.pk}"]
    assert (form.initial[f"term_{a.pk}"], form.initial[f"term_{b.pk}"]) == (15, 12)


def test_placing_a_renewal_twice_with_one_po_number_finds_the_first_order(client, alice, expiring):
    client.force_login(alice)
    data = {f"system_{expiring.pk}": "on", f"term_{expiring.pk}": "12", "po_number": "PO-77"}
    first = client.post(renewal_url(expiring), data, follow=True)
    second = client.post(renewal_url(expiring), data, follow=True)
    order = Order.objects.get()
    assert first.redirect_chain[-1][0] == second.redirect_chain[-1][0] == f"/orders/{order.pk}/"
    assert "is submitted" in first.content.decode()
    assert f"PO-77 is already order {order.number}: here it is." in second.content.decode()


def test_a_renewal_with_no_system_ticked_is_refused(client, alice, expiring):
    client.force_login(alice)
    answer = client.post(renewal_url(expiring), {"po_number": "PO-1"})
    assert "Choose at least one system to renew." in answer.content.decode()


def test_the_no_charge_upgrade_form_is_prefilled_from_the_system(client, alice, expiring):
    client.force_login(alice)
    url = reverse("renewals:no_charge_upgrade_new")
    page = client.get(url, {"serial": expiring.serial_number})
    assert page.context["form"].initial["customer_name"] == "Globex"
    assert "upgrade to <strong>8.1</strong>" in page.content.decode()

    refused = client.post(
        url, {"serial_number": expiring.serial_number, "customer_name": "Initech", "po_number": "P"}
    )
    message = ORDER_MESSAGES["customer_mismatch"].format(given="Initech", serial="CX-EXP-1")
    assert refused.context["form"].errors["customer_name"] == [message]

    placed = client.post(
        url, {"serial_number": "CX-EXP-1", "customer_name": "GLOBEX", "po_number": "P"}
    )
    order = Order.objects.get()
    assert placed.url == f"/orders/{order.pk}/"
    assert order.kind == "no_charge_upgrade"


def test_a_paid_upgrade_for_a_covered_system_shows_the_rule(client, alice, expiring, today):
    client.force_login(alice)
    url = reverse("renewals:upgrade_new")
    answer = client.post(
        url, {"serial_number": "CX-EXP-1", "term_months": "12", "po_number": "P-1"}
    )
    message = "CX-EXP-1: " + MESSAGES["upgrade_while_covered"].format(on=us(today))
    assert answer.context["form"].errors["serial_number"] == [message]


def test_the_orders_page_shows_each_state_and_the_reason_of_a_rejection(
    client, alice, olivia, expiring, lapsed, never, place, today
):
    renewal = place(alice, "renewal", "PO-R", ("CX-EXP-1", 12))
    plan = place(alice, "plan", "PO-P", ("CX-NEW-1", 12))
    services.order_book(order=renewal, booked_on=today, by=olivia)
    services.order_reject(order=plan, reason="The customer cancelled.", by=olivia)
    place(alice, "upgrade", "PO-U", ("CX-LAP-1", 12))
    client.force_login(alice)
    html = client.get(reverse("renewals:orders")).content.decode()
    assert html.count('class="badge badge--order-') == 3
    for text in ("Booked", "Rejected", "Submitted", "The customer cancelled.", "PO-U"):
        assert text in html
    detail = client.get(reverse("renewals:order", args=[plan.pk])).content.decode()
    assert "The customer cancelled." in detail


def test_the_orders_page_costs_the_same_queries_for_few_and_many_orders(
    client, alice, acme, make_system, book, today
):
    client.force_login(alice)

    def orders(count: int, start: int) -> int:
        for number in range(start, start + count):
            system = make_system(acme, customer=f"Customer {number}", serial_number=f"CX-{number}")
            book(system, "plan", today - relativedelta(months=6))
            services.order_submit(
                user=alice,
                kind="renewal",
                po_number=f"PO-{number}",
                lines=[services.LineRequest(system.serial_number, 12)],
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("renewals:orders")).status_code == 200
        return len(queries)

    assert orders(2, 0) == orders(20, 100)


def test_a_user_without_contracts_access_gets_a_page_that_says_why(client, carol):
    client.force_login(carol)
    answer = client.get(reverse("renewals:orders"))
    assert answer.status_code == 403
    assert "Request access" in answer.content.decode()


def test_finding_a_system_offers_the_order_that_fits_it(client, alice, lapsed, never, expiring):
    client.force_login(alice)
    start = reverse("renewals:order_start")
    kinds = {}
    for serial in ("CX-LAP-1", "CX-NEW-1", "CX-EXP-1"):
        html = client.get(start, {"serial": serial}).content.decode()
        kinds[serial] = [
            k
            for k in ("renewal", "no_charge_upgrade", "upgrade", "plan")
            if f'data-order-kind="{k}"' in html
        ]
    assert kinds == {
        "CX-LAP-1": ["upgrade"],
        "CX-NEW-1": ["plan"],
        "CX-EXP-1": ["renewal", "no_charge_upgrade"],
    }
    missing = client.get(start, {"serial": "CX-NOPE"}).content.decode()
    assert "No system with this serial number is registered to you." in missing


def test_the_system_page_partial_offers_orders_and_shows_open_ones(
    rf, alice, expiring, place, today
):
    entitlement = system_entitlement(expiring, today)

    def partial() -> str:
        context = {
            "system": expiring,
            "entitlement": entitlement,
            "open_orders": system_open_orders(expiring),
        }
        return render_to_string("renewals/_system_actions.html", context)

    html = partial()
    assert f"/orders/new/renewal/{expiring.customer_id}/?system=CX-EXP-1" in html
    assert "/orders/new/no-charge-upgrade/?serial=CX-EXP-1" in html
    assert "Order the no-charge upgrade to 8.1" in html

    order = place(alice, "renewal", "PO-1", ("CX-EXP-1", 12))
    html = partial()
    assert f'<a href="/orders/{order.pk}/">{order.number}</a>' in html


def test_the_partial_renders_nothing_for_rightfax(alice, acme, make_system, today):
    system = make_system(acme, product="RightFax", release="10.0")
    entitlement = system_entitlement(system, today)
    context = {"system": system, "entitlement": entitlement, "open_orders": []}
    assert render_to_string("renewals/_system_actions.html", context).strip() == ""


def test_the_system_page_and_the_renewal_form_suggest_the_same_coterm(client, alice, acme, today):
    # given three systems of one customer: two can end on one date, the third (renewing on the
    # 15th) on none of theirs
    first = (today + relativedelta(months=2)).replace(day=1)
    a = system_renewing_on(acme, first, customer="Umbrella", serial_number="CO-A")
    b_starts = first + relativedelta(months=2)
    system_renewing_on(acme, b_starts, customer="Umbrella", serial_number="CO-B")
    system_renewing_on(acme, first + timedelta(days=14), customer="Umbrella", serial_number="CO-C")
    client.force_login(alice)

    # when alice opens A's page, then the renewal form it links to
    quote = client.get(reverse("system", args=["CO-A"])).context["quote"]
    form = client.get(renewal_url(a), {"system": "CO-A"}).context

    # then both suggest renewing A and B to end together, and leave C out
    on_the_page = [(line.serial_number, line.term_months) for line in quote.coterm_lines]
    assert on_the_page == form["coterm_rows"] == [("CO-A", 14), ("CO-B", 12)]
    assert quote.coterm_ends_on == form["coterm"].ends_on


def test_the_renewal_form_issues_the_same_queries_for_5_systems_and_for_50(
    client, alice, acme, today
):
    first = (today + relativedelta(months=1)).replace(day=1)
    client.force_login(alice)
    systems = [system_renewing_on(acme, first, customer="Massive", serial_number="M-0")]
    url = renewal_url(systems[0])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url, {"system": "M-0"})
        assert page.status_code == 200
        return len(captured)

    for number in range(1, 5):
        system_renewing_on(acme, first, customer="Massive", serial_number=f"M-{number}")
    few = queries()
    for number in range(5, 50):
        system_renewing_on(acme, first, customer="Massive", serial_number=f"M-{number}")
    assert queries() == few


def test_finding_a_system_ignores_the_case_of_its_serial_number(client, alice, expiring):
    client.force_login(alice)
    html = client.get(reverse("renewals:order_start"), {"serial": "cx-exp-1"}).content.decode()
    assert "is registered to you" not in html
    assert 'data-order-kind="renewal"' in html


def test_an_order_typed_in_lower_case_names_the_system_as_recorded(alice, expiring, place):
    order = place(alice, "no_charge_upgrade", "PO-LOWER", "cx-exp-1", customer_name="Globex")
    assert [line.system for line in order.lines.all()] == [expiring]


def test_one_system_typed_in_two_cases_is_one_line_twice(alice, expiring, place):
    with pytest.raises(RuleViolation) as refused:
        place(alice, "no_charge_upgrade", "PO-TWICE", "CX-EXP-1", "cx-exp-1")
    assert refused.value.code == "duplicate_line"


def test_another_resellers_serial_in_any_case_is_unknown(client, alice, bob, make_system):
    make_system(bob.reseller, serial_number="BR-CASE-1")
    client.force_login(alice)
    html = client.get(reverse("renewals:order_start"), {"serial": "br-case-1"}).content.decode()
    assert "No system with this serial number is registered to you." in html


def test_a_shipped_no_charge_upgrade_is_not_offered_again(
    client, alice, olivia, expiring, place, today
):
    order = place(alice, "no_charge_upgrade", "PO-NCU", "CX-EXP-1", customer_name="Globex")
    services.order_book(order=order, booked_on=today, by=olivia)
    services.order_ship(order=order, shipping_charge=Decimal("35.00"), by=olivia)
    client.force_login(alice)

    page = client.get(reverse("system", args=["CX-EXP-1"])).content.decode()
    form = client.get(reverse("renewals:no_charge_upgrade_new"), {"serial": "CX-EXP-1"})

    assert 'data-order-kind="no_charge_upgrade"' not in page
    assert 'data-order-kind="renewal"' in page
    html = form.content.decode()
    assert f"System CX-EXP-1 is already on open order {order.number}." in html
    assert "Submit no-charge upgrade order" not in html


def test_the_no_charge_upgrade_form_does_not_open_for_a_lapsed_system(client, alice, lapsed):
    client.force_login(alice)
    html = client.get(
        reverse("renewals:no_charge_upgrade_new"), {"serial": "CX-LAP-1"}
    ).content.decode()
    assert "Submit no-charge upgrade order" not in html
    assert ORDER_MESSAGES["not_covered_for_upgrade"].split("{")[0] in html
    assert 'data-order-kind="upgrade"' in html  # what fits it is offered instead


def test_a_plan_form_does_not_open_for_a_covered_system(client, alice, expiring):
    client.force_login(alice)
    html = client.get(reverse("renewals:plan_new"), {"serial": "CX-EXP-1"}).content.decode()
    assert "XpressCare plan orders do not fit CX-EXP-1" in html
    assert "Submit XpressCare plan order" not in html


def test_an_offered_order_opens_its_form(client, alice, expiring):
    client.force_login(alice)
    html = client.get(
        reverse("renewals:no_charge_upgrade_new"), {"serial": "CX-EXP-1"}
    ).content.decode()
    assert "Submit no-charge upgrade order" in html
