"""In a real browser: a certified technician quotes and opens a case; others cannot."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from contracts.services import system_update
from incidents.models import Case
from incidents.services import case_close, time_entry_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "partnerxpress")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def four_years_old(uncovered, acme):
    """The uncovered system installed four years and ten days ago (Pacific date)."""
    today = acme.region.today(timezone.now())
    return system_update(
        system=uncovered, installed_on=today - relativedelta(years=4) - timedelta(days=10)
    )


def test_a_certified_technician_gets_a_quote_and_opens_a_case(
    page, screenshot, tess, four_years_old, always_open, olivia
):
    log_in(page, "tess")
    page.click("nav.menu >> text=Support")
    page.wait_for_url("**/support/")
    page.click("text=Open a case")
    page.fill("input[name=serial_number]", "CX-UNCOVERED")
    page.check("input[name=severity][value=normal]")
    page.fill("input[name=estimated_minutes]", "75")
    page.click("button[value=quote]")
    quote = page.locator("#quote")
    assert "Per-incident case" in quote.inner_text()
    assert page.locator(".quote__amount").inner_text() == "$262.50"
    assert "175.00" in quote.inner_text()
    screenshot("support-quote")

    page.fill("input[name=summary]", "Auto attendant drops calls")
    page.fill("textarea[name=description]", "Callers hear silence after the greeting.")
    page.fill("input[name=contact_phone]", "+1 206 555 0100")
    page.fill("input[name=po_number]", "PO-4410")
    page.click("button[value=open]")
    page.wait_for_url("**/support/*/")
    case = Case.objects.get()
    assert f"Case {case.number} is open" in page.inner_text("main")
    assert (case.kind, case.hourly_rate, case.opened_by_id) == (
        "per_incident",
        case.hourly_rate,
        tess.pk,
    )
    assert str(case.hourly_rate) == "175.00"
    screenshot("support-case-open")

    time_entry_add(case=case, user=olivia, worked_on=date.today(), minutes=61, note="Diagnosis")
    time_entry_add(case=case, user=olivia, worked_on=date.today(), minutes=34, note="Board reset")
    case_close(case=case, user=olivia, resolution="Reset the voice board.", now=timezone.now())
    page.reload()
    assert "262.50" not in page.locator(".bill").inner_text()
    assert "350.00" in page.locator(".bill__total").inner_text()  # 95 min → 120 min at 175.00
    screenshot("support-case-closed")
    page.click("text=← Support")
    assert case.number in page.inner_text("table")
    screenshot("support-cases")


def test_a_technician_without_a_current_certification_cannot_quote_or_open(
    page, screenshot, ed, four_years_old
):
    log_in(page, "ed")
    page.click("nav.menu >> text=Support")
    assert "Your technician certification expired on" in page.inner_text("main")
    screenshot("support-not-certified")
    response = page.goto("/support/new/?system=CX-UNCOVERED")
    assert response.status == 403
    assert page.locator("input[name=serial_number]").count() == 0
    assert not Case.objects.exists()


def test_after_hours_a_normal_case_is_offered_the_next_opening(
    page, screenshot, tess, four_years_old, closed_today
):
    log_in(page, "tess")
    page.goto("/support/new/?system=CX-UNCOVERED")
    page.click("button[value=quote]")
    assert "outside business hours" in page.locator("#quote").inner_text()
    page.fill("input[name=summary]", "Message waiting lamps stay on")
    page.fill("input[name=contact_phone]", "+1 206 555 0100")
    page.check("input[name=accept_next_opening]")
    screenshot("support-quote-after-hours")
    page.click("button[value=open]")
    page.wait_for_url("**/support/*/")
    assert "support starts on the case at" in page.inner_text("main")
    screenshot("support-case-deferred")


def test_a_closed_case_shows_its_bill_in_admin_and_cannot_be_saved(
    admin_tab, tess, four_years_old, always_open, olivia
):
    from incidents.services import case_open
    from tests.factories import StaffFactory

    StaffFactory(username="root", is_superuser=True)
    opened = case_open(
        user=tess,
        system=four_years_old,
        severity="normal",
        summary="Auto attendant drops calls",
        contact_phone="+1 555 0100",
        now=timezone.now(),
    )
    time_entry_add(case=opened, user=olivia, worked_on=date.today(), minutes=75)
    case_close(case=opened, user=olivia, resolution="Replaced the prompt.", now=timezone.now())
    log_in(admin_tab, "root")
    admin_tab.goto(f"/admin/incidents/case/{opened.pk}/change/")
    reason = admin_tab.locator(".locked-reason").inner_text()
    assert "The bill, $262.50, is final." in reason
    assert admin_tab.locator("input[name=_save], a.deletelink").count() == 0
    admin_tab.shot("admin-case-closed")
