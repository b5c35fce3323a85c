"""Every portal page is usable on a 390 px phone: nothing beyond the right edge, a menu that
folds and whose links are all reachable, lists whose every value shows."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.browser.test_portal import sign_in
from tests.test_tenancy_portal import REGISTRY, WITHOUT_ARGUMENTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MENU = ["Home", "XpressCare Contracts", "Pipeline", "Orders", "Support", "Bulletins", "Downloads"]


@pytest.fixture
def alice_on_a_phone(page, alice, acme_systems):
    """Alice, who may use every page of Acme's, signed in on a phone."""
    alice.has_contracts_access = True
    alice.is_certified_technician = True
    alice.certification_expires_on = None
    alice.save()
    page.set_viewport_size(PHONE)
    sign_in(page, "alice")
    return page


def portal_pages(user, today) -> list[str]:
    """Every portal page (the tenancy walker's list, with an object of the user's reseller where
    one is needed), and pages as links open them: a found system, order forms, a list's rows."""
    urls = [reverse(name) for name in WITHOUT_ARGUMENTS]
    urls += [reverse(name, kwargs=build(user)) for name, build in sorted(REGISTRY.items())]
    month = today.replace(day=1) - timedelta(days=1)
    return [
        *urls,
        "/systems/ACME-EXPIRING/",
        "/systems/ACME-GRACE/",
        "/orders/new/?serial=ACME-EXPIRING",
        "/orders/new/plan/?serial=ACME-NEVER",
        "/orders/new/upgrade/?serial=ACME-LAPSED",
        "/orders/new/no-charge-upgrade/?serial=ACME-EXPIRING",
        f"/orders/pipeline/outcomes/?month={month:%Y-%m}&outcome=lapsed",
    ]


def test_no_portal_page_is_wider_than_a_phone(alice_on_a_phone, alice, today):
    page = alice_on_a_phone
    checked = []
    for url in portal_pages(alice, today):
        # Downloads (CSV, PDF, files) and POST-only addresses are not pages to look at.
        answer = page.request.get(url, max_redirects=0)
        if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} is {width} px wide"
        checked.append(url)
    assert len(checked) >= 15, checked
    assert {"/", "/contracts/", "/orders/", "/support/", "/systems/ACME-EXPIRING/"} <= set(checked)


def test_the_menu_folds_and_every_link_is_reachable(alice_on_a_phone, screenshot):
    page = alice_on_a_phone
    menu = page.get_by_role("navigation", name="Main menu")
    assert not menu.get_by_role("link", name="Downloads").is_visible()
    screenshot("phone-menu-folded")

    menu.get_by_text("Menu").click()

    for name in MENU:
        link = menu.get_by_role("link", name=name)
        assert link.is_visible(), name
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
    screenshot("phone-menu-open")
    menu.get_by_role("link", name="Downloads").click()
    assert page.get_by_role("heading", name="Downloads").is_visible()


def test_on_a_wide_screen_the_menu_is_open_without_a_click(page, alice, acme_systems):
    sign_in(page, "alice")
    menu = page.get_by_role("navigation", name="Main menu")
    assert not menu.get_by_text("Menu", exact=True).is_visible()
    for name in MENU:
        assert menu.get_by_role("link", name=name).is_visible(), name


def test_the_contracts_list_shows_every_value_of_a_system_on_a_phone(alice_on_a_phone, screenshot):
    page = alice_on_a_phone
    page.goto("/contracts/?q=ACME-EXPIRING")
    row = page.locator("table.systems tbody tr:not(.group)").first
    for label in ("Coverage", "Renew by", "12 months", "Add-ons"):
        cell = row.locator(f'td[data-label="{label}"]')
        assert cell.is_visible(), label
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"], label
    assert row.locator(".badge").bounding_box()["x"] + 10 < PHONE["width"]
    screenshot("phone-contracts")


def test_the_home_chart_shows_all_twelve_months_on_a_phone(alice_on_a_phone):
    page = alice_on_a_phone
    labels = page.locator("svg.chart .chart__label")
    assert labels.count() == 12
    for index in range(12):
        box = labels.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
