"""The interactive docs in a real browser: local assets only, and "Try it out" with the session."""

from datetime import date

import pytest
from django.test import Client

from contracts.services import contract_book
from tests.factories import CustomerFactory, SystemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def logged_in_page(page, live_server, acme, alice, releases):
    """The browser tab carries alice's portal session; alice's reseller has CX-1."""
    system = SystemFactory(
        serial_number="CX-1",
        customer=CustomerFactory(reseller=acme, name="Globex"),
        product=releases["CallXpress 8.0"].product,
        release=releases["CallXpress 8.0"],
        tts_channels=1,
    )
    contract_book(
        system=system, kind="plan", booked_on=date(2026, 1, 1), term_months=12, covers_tts=True
    )
    client = Client()
    client.force_login(alice)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def test_the_docs_load_only_from_this_server_and_try_out_the_entitlement(
    logged_in_page, live_server, screenshot
):
    page = logged_in_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto("/api/docs/")
    page.get_by_text("PartnerXpress API").first.wait_for()
    operation = page.locator("#operations-systems-systems_entitlement_retrieve")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='serial_number']").fill("CX-1")
    operation.locator("input[placeholder='on']").fill("2026-11-26")
    operation.get_by_role("button", name="Execute").click()
    body = operation.locator(".live-responses-table .response-col_description pre").first
    body.wait_for()
    operation.scroll_into_view_if_needed()
    screenshot("api-docs-entitlement")

    assert '"status": "expiring"' in body.inner_text()
    assert '"renew_by": "2027-01-30"' in body.inner_text()
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
