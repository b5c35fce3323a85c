"""A reseller uses the portal in real headless Chromium; screenshots land in test-artifacts/."""

import csv
import io

import pytest

from contracts.models import AccessRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    page.goto("/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill("partnerxpress")
    page.get_by_role("button", name="Sign in").click()


def test_a_reseller_finds_a_system_sees_its_quote_exports_and_signs_out(
    page, screenshot, alice, acme_systems
):
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")
    screenshot("portal-sign-in")
    sign_in(page, "alice")
    assert page.get_by_role("heading", name="Welcome, alice").is_visible()
    assert page.locator("svg.chart").is_visible()
    screenshot("portal-home")

    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="XpressCare Contracts"
    ).click()
    assert page.get_by_role("heading", name="XpressCare Contracts").is_visible()
    assert page.locator("table.systems tbody tr:not(.group)").count() == 7
    screenshot("portal-contracts")

    page.get_by_label("Ends within (days)").fill("90")
    page.get_by_role("button", name="Show systems").click()
    rows = page.locator("table.systems tbody tr:not(.group)")
    assert rows.count() == 1 and "ACME-EXPIRING" in rows.first.inner_text()
    screenshot("portal-contracts-expiring")

    page.get_by_label("Ends within (days)").fill("")
    page.get_by_label("Search customer or serial number").fill("acme-grace")
    page.get_by_role("button", name="Show systems").click()
    assert page.locator("table.systems tbody tr:not(.group)").count() == 1
    page.get_by_role("link", name="ACME-GRACE").click()

    assert page.get_by_role("heading", name="ACME-GRACE").is_visible()
    assert "Expired" in page.locator(".status-card__sentence").inner_text()
    quote = page.locator("section", has=page.get_by_role("heading", name="Renewal quote"))
    assert quote.get_by_role("cell", name="15 months").is_visible()
    screenshot("portal-system")

    page.get_by_role("link", name="XpressCare Contracts").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    with open(download.value.path(), encoding="utf-8") as exported:
        rows = list(csv.DictReader(io.StringIO(exported.read())))
    assert len(rows) == 7
    assert {row["serial_number"] for row in rows} >= {"ACME-GRACE", "ACME-EXPIRING"}

    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", name="Sign in to PartnerXpress").is_visible()
    page.goto("/contracts/")
    assert "/accounts/login/" in page.url


def test_a_user_without_access_requests_it(page, screenshot, carol, acme_systems):
    sign_in(page, "carol")
    assert page.get_by_role("button", name="Request access").is_visible()
    assert "ACME-" not in page.content()
    screenshot("portal-home-no-access")

    page.get_by_role("link", name="XpressCare Contracts").click()
    assert page.get_by_text("XpressCare Contracts access is not enabled for you").is_visible()
    screenshot("portal-contracts-no-access")
    page.get_by_label("Why you need it").fill("I handle our renewals")
    page.get_by_role("button", name="Request access").click()

    assert page.get_by_text("is with your sales representative").is_visible()
    assert page.get_by_text("You asked for access on").is_visible()
    screenshot("portal-access-requested")
    request = AccessRequest.objects.get(user=carol)
    assert request.message == "I handle our renewals"


def test_the_pages_fit_a_phone(page, screenshot, alice, acme_systems):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "alice")
    screenshot("portal-home-phone")
    page.goto("/systems/ACME-EXPIRING/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # wide tables scroll inside their frame, not the page
    screenshot("portal-system-phone")
