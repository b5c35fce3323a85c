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
