"""In a real browser, the back office's records: what would break coverage is refused on the
form, a customer's systems are shown and not edited, a bad release number is a form error."""

from datetime import date

import pytest

from contracts.services import contract_book
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_sign_in(tab, username: str) -> None:
    tab.goto("/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", "partnerxpress")
    tab.click("input[type=submit]")
    tab.wait_for_selector("#site-name")


@pytest.fixture
def root(db):
    return StaffFactory(username="root", is_superuser=True)


@pytest.fixture
def implanted(acme, make_system):
    """CX-IMP-0001, a CallXpress 8.0 system of Globex with an XpressCare plan."""
    system = make_system(acme, customer="Globex", serial_number="CX-IMP-0001")
    contract_book(system=system, kind="plan", booked_on=date(2026, 1, 1), term_months=12)
    return system


def test_a_covered_system_keeps_its_product_and_its_customer_page_only_shows_it(
    admin_tab, root, implanted, releases
):
    admin_sign_in(admin_tab, "root")
    # given the customer's page: its systems are listed, not editable, not deletable
    admin_tab.goto(f"/admin/contracts/customer/{implanted.customer_id}/change/")
    assert admin_tab.locator("input[name='systems-0-serial_number']").count() == 0
    assert admin_tab.locator("input[name='systems-0-DELETE']").count() == 0
    admin_tab.shot("admin-customer-systems")
    # when staff follow the system and make it a RightFax system
    admin_tab.click("a:has-text('CX-IMP-0001')")
    admin_tab.select_option("#id_product", label="RightFax")
    admin_tab.evaluate(
        "([id, label]) => { const s = document.getElementById(id);"
        " s.append(new Option(label, label.split('|')[0], true, true)); }",
        ["id_release", f"{releases['RightFax 10.0'].pk}|RightFax 10.0"],
    )
    admin_tab.click("input[name=_save]")
    # then the form says why, and nothing changed
    admin_tab.wait_for_selector(".errornote")
    assert "its product cannot change" in admin_tab.locator(".field-product").inner_text()
    admin_tab.shot("admin-system-product-refused")
    implanted.refresh_from_db()
    assert implanted.product.name == "CallXpress"


def test_a_release_numbered_in_words_is_a_form_error(admin_tab, root, releases):
    admin_sign_in(admin_tab, "root")
    admin_tab.goto("/admin/contracts/release/add/")
    admin_tab.select_option("#id_product", label="CallXpress")
    admin_tab.fill("#id_version", "eight-two")
    admin_tab.click("input[name=_save]")
    admin_tab.wait_for_selector(".errornote")
    assert "is not a release number like 8.1" in admin_tab.locator(".field-version").inner_text()
    admin_tab.shot("admin-release-invalid")
