"""The content security policy holds on every kind of page, in a real browser.

The `page` fixture fails a test on any CSP violation the browser reports; these tests open the
portal's pages, admin's and the API docs so that each is checked.
"""

import pytest

from tests.browser.test_portal import sign_in
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PORTAL = ["/", "/contracts/", "/systems/ACME-EXPIRING/", "/orders/", "/upgrades/bulletins/"]
ADMIN = [
    "/admin/",
    "/admin/contracts/system/",
    "/admin/contracts/contract/",
    "/admin/contracts/user/",
    "/admin/renewals/order/",
    "/admin/admin/logentry/",
]


def test_portal_pages_keep_to_the_policy(page, alice, acme_systems):
    sign_in(page, "alice")
    for path in PORTAL:
        response = page.goto(path)
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_admin_pages_keep_to_the_policy(page, acme_systems):
    StaffFactory(username="root", is_superuser=True)
    sign_in(page, "root")
    for path in ADMIN:
        assert page.goto(path).status == 200, path
    page.goto("/admin/contracts/system/")
    page.locator("#result_list tbody a").first.click()  # a change form with its widgets
    page.get_by_role("link", name="History").click()
