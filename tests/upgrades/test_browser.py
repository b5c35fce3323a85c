"""In a real browser: a reseller reads a bulletin, orders from it, and downloads a hot fix."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.renewals.test_browser import sign_in
from upgrades.models import Bulletin, Download

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reseller_reads_a_bulletin_orders_from_it_and_downloads_a_hot_fix(
    page, screenshot, settings, tmp_path, fleet, bulletin, releases
):
    # given a published bulletin and a hot fix for 8.0, where Acme has a covered system
    settings.MEDIA_ROOT = tmp_path
    Bulletin.objects.filter(pk=bulletin.pk).update(published_at=timezone.now())
    hot_fix = Download(
        release=releases["CallXpress 8.0"],
        kind="hot_fix",
        title="Hot fix 3: voicemail greeting upload",
        description="Fixes greetings longer than 60 seconds.",
    )
    hot_fix.file.save("cx-8.0-hf3.zip", ContentFile(b"PK hot fix 3"))
    Download(release=releases["CallXpress 7.5"], kind="hot_fix", title="Old fix").file.save(
        "cx-7.5-hf9.zip", ContentFile(b"old")
    )

    # when alice opens the bulletins
    sign_in(page, "alice")
    page.goto("/upgrades/bulletins/")
    page.wait_for_selector("text=CallXpress 8.1 is available")
    screenshot("bulletins")

    # then each of her eligible systems is one click from its no-charge upgrade order
    page.click("tr:has-text('CX-A2') >> text=Order the no-charge upgrade")
    page.wait_for_selector(".order-form")
    assert page.input_value("#id_serial_number") == "CX-A2"
    assert page.input_value("#id_customer_name") == "Initech"

    # and the downloads page offers the 8.0 hot fix (7.5 is not supported) and hands it over
    page.goto("/upgrades/downloads/")
    assert page.locator("text=Old fix").count() == 0
    screenshot("downloads")
    with page.expect_download() as download:
        page.click("a[download]")
    assert download.value.suggested_filename == "cx-8.0-hf3.zip"
    assert download.value.path().read_bytes() == b"PK hot fix 3"


def test_staff_see_who_a_bulletin_will_reach_before_publishing_and_then_it_is_final(
    admin_tab, fleet, bulletin
):
    from tests.contracts.test_browser import admin_sign_in
    from tests.factories import StaffFactory

    StaffFactory(username="root", is_superuser=True)
    admin_sign_in(admin_tab, "root")
    admin_tab.goto("/admin/upgrades/bulletin/")
    admin_tab.check(f"input.action-select[value='{bulletin.pk}']")
    admin_tab.select_option("select[name=action]", "publish")
    admin_tab.click("button[name=index]")
    # asked first: three people at three resellers, and what each gets
    confirmation = admin_tab.locator(".confirmation")
    confirmation.wait_for()
    assert "3 e-mails to 3 people" in confirmation.inner_text()
    assert "dan@reseller.example" in confirmation.inner_text()
    admin_tab.shot("admin-bulletin-publish-confirm")
    admin_tab.click("input[value='Yes, publish and send']")
    admin_tab.wait_for_selector("text=Published 1")
    bulletin.refresh_from_db()
    assert bulletin.published_at is not None
    # the published bulletin is shown, not edited
    admin_tab.goto(f"/admin/upgrades/bulletin/{bulletin.pk}/change/")
    assert "no longer changes" in admin_tab.locator(".locked-reason").inner_text()
    assert admin_tab.locator("input[name=_save], a.deletelink, #id_title").count() == 0
    admin_tab.shot("admin-bulletin-published-locked")
