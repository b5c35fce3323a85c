"""The system page's letters section in Chromium: request a letter, then download it.

The system page itself belongs to the contracts app; here the partial is rendered inside the
portal layout (base.html) and shown to a signed-in reseller user in a real browser.
"""

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import Letter
from notifications.services.letters import letter_generate

PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>System {{ system.serial_number }}</h1>'
    '{% include "notifications/_system_letters.html" %}{% endblock %}'
)


def show_system_page(page, live_server, user, system) -> None:
    """Render the partial in the portal layout for `user` and load it into the browser tab."""
    request = RequestFactory().get("/")
    request.user = user
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    request.META["CSRF_COOKIE"] = csrf  # the browser's token, so its POST passes the check
    html = PAGE.render({"system": system, "today": timezone.now().date()}, request)
    page.goto("/")
    page.set_content(html.replace('href="/static/', f'href="{live_server.url}/static/'))


@pytest.mark.browser
def test_a_reseller_requests_a_letter_and_downloads_it(
    page, live_server, screenshot, alice, make_due, transactional_db
):
    system = make_due(alice.reseller, 1, on=timezone.now().date(), um_clients=80)[0]
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "partnerxpress")
    page.click("button[type=submit], input[type=submit]")
    show_system_page(page, live_server, alice, system)
    screenshot("system-letters-none")
    page.get_by_role("button", name="Request letter").click()
    page.wait_for_load_state()
    assert "is being prepared" in page.content()
    screenshot("system-letters-requested")
    show_system_page(page, live_server, alice, system)
    assert page.get_by_text("Being prepared").is_visible()
    screenshot("system-letters-being-prepared")
    letter = Letter.objects.get()
    letter_generate(letter.pk)  # as the worker would
    show_system_page(page, live_server, alice, system)
    assert page.get_by_role("button", name="Request letter").count() == 0
    screenshot("system-letters-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == Letter.objects.get().filename
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"


@pytest.mark.browser
def test_staff_preview_a_renewal_e_mail_in_admin(
    page, live_server, screenshot, root, alice, make_due, transactional_db
):
    make_due(alice.reseller, 4, customer="Initech", tts_channels=2)
    page.goto("/admin/login/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "partnerxpress")
    page.click("input[type=submit]")
    page.goto(f"/admin/notifications/digestrun/preview/?reseller={alice.reseller.pk}&on=2026-06-01")
    assert page.get_by_text(
        "XpressCare renewals for Acme Voice, June 2026: 2 expired, 2 due"
    ).is_visible()
    frame = page.frame_locator("iframe")
    expect(frame.get_by_text("Expired recently — still renewable (2)")).to_be_visible()
    screenshot("admin-digest-preview")
