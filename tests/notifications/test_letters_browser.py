"""Confirmation letters in Chromium: the system page's letters section, the admin preview."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contracts.models import Letter
from contracts.services.letters import letter_generate


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "partnerxpress")
    page.click("button[type=submit], input[type=submit]")


@pytest.mark.browser
def test_a_reseller_requests_a_letter_on_the_system_page_and_downloads_it(
    page, screenshot, alice, make_due, transactional_db
):
    system = make_due(alice.reseller, 1, on=timezone.now().date(), um_clients=80)[0]
    sign_in(page, "alice")
    page.goto(f"/systems/{system.serial_number}/")
    letters = page.locator("section.letters")
    expect(letters.get_by_role("button", name="Request letter")).to_be_visible()
    letters.scroll_into_view_if_needed()
    screenshot("system-letters-none")
    letters.get_by_role("button", name="Request letter").click()
    expect(page.get_by_text("is being prepared")).to_be_visible()  # back on the system page
    assert page.url.endswith(f"/systems/{system.serial_number}/")
    expect(letters.get_by_text("Being prepared")).to_be_visible()
    screenshot("system-letters-requested")
    letter_generate(Letter.objects.get().pk)  # as the worker would
    page.reload()
    expect(letters.get_by_role("button", name="Request letter")).to_have_count(0)
    screenshot("system-letters-ready")
    with page.expect_download() as download:
        letters.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == Letter.objects.get().filename
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"


@pytest.mark.browser
def test_staff_preview_a_renewal_e_mail_in_admin(
    page, live_server, screenshot, root, alice, make_due, transactional_db
):
    make_due(alice.reseller, 4, customer="Initech", tts_channels=2)
    sign_in(page, "root")
    page.goto(f"/admin/renewals/digestrun/preview/?reseller={alice.reseller.pk}&on=2026-06-01")
    assert page.get_by_text(
        "XpressCare renewals for Acme Voice, June 2026: 2 expired, 2 due"
    ).is_visible()
    frame = page.frame_locator("iframe")
    expect(frame.get_by_text("Expired recently — still renewable (2)")).to_be_visible()
    screenshot("admin-digest-preview")


@pytest.mark.browser
def test_staff_open_a_ready_letter_and_ask_before_sending_a_renewal_e_mail(
    admin_tab, root, alice, make_due, transactional_db, settings, tmp_path
):
    from contracts.services.letters import letter_request
    from notifications.models import Email

    settings.MEDIA_ROOT = tmp_path
    system = make_due(alice.reseller, 2, on=timezone.now().date())[0]
    letter = letter_request(contract=system.contracts.get(), user=root)
    letter_generate(letter.pk)
    sign_in(admin_tab, "root")
    # the letter's page opens and links its PDF through the checked view
    admin_tab.goto(f"/admin/contracts/letter/{letter.pk}/change/")
    expect(admin_tab.get_by_role("link", name="Open")).to_be_visible()
    admin_tab.shot("admin-letter-ready")
    # "Send a renewal e-mail now" says who gets it before it sends
    admin_tab.goto(f"/admin/renewals/digestrun/send/?reseller={alice.reseller.pk}")
    admin_tab.click("input[type=submit]")
    expect(admin_tab.locator(".confirmation")).to_contain_text(alice.email)
    assert not Email.objects.filter(kind="renewal-digest").exists()
    admin_tab.shot("admin-digest-send-confirm")
    admin_tab.click("input[value='Yes, send']")
    expect(admin_tab.locator(".messagelist .success")).to_contain_text("e-mails queued")
    assert Email.objects.filter(kind="renewal-digest", to=alice.email).count() == 1
