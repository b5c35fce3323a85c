"""Service packs and hot fixes: supported releases only, to resellers covered on that release."""

import os
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from upgrades.models import Download
from upgrades.rules import download_offered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def downloads(releases):
    made = {}
    for key, kind, title in [
        ("CallXpress 8.1", "service_pack", "Service pack 1"),
        ("CallXpress 8.0", "hot_fix", "Hot fix 3"),
        ("CallXpress 7.5", "hot_fix", "Hot fix 9"),  # no longer supported
    ]:
        download = Download(release=releases[key], kind=kind, title=title)
        download.file.save(
            f"{title.lower().replace(' ', '-')}.zip", ContentFile(b"PK" + title.encode())
        )
        made[key] = download
    return made


def test_only_supported_releases_are_offered():
    versions = ["7.5", "8.0", "8.1"]
    assert download_offered("8.1", versions, covered_system_on_release=True)
    assert download_offered("8.0", versions, covered_system_on_release=True)
    assert not download_offered("7.5", versions, covered_system_on_release=True)
    assert not download_offered("8.1", versions, covered_system_on_release=False)


def test_a_reseller_sees_downloads_of_supported_releases_it_has_covered_systems_on(
    client, alice, acme, covered_system, make_system, downloads
):
    covered_system(acme, "CX-1", release="8.0")
    covered_system(acme, "CX-2", release="7.5")  # covered, but 7.5 is not supported
    make_system(acme, serial_number="CX-3", release="8.1")  # 8.1, but not covered
    client.force_login(alice)
    page = client.get(reverse("upgrades:downloads"))
    assert [d.title for d in page.context["downloads"]] == ["Hot fix 3"]


def test_the_file_is_served_to_an_entitled_reseller_and_is_a_404_for_anyone_else(
    client, alice, bob, carol, acme, covered_system, downloads
):
    covered_system(acme, "CX-1", release="8.0")
    address = reverse("upgrades:download_file", args=[downloads["CallXpress 8.0"].pk])
    client.force_login(alice)
    answer = client.get(address)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == b"PKHot fix 3"
    assert answer["Content-Disposition"] == 'attachment; filename="hot-fix-3.zip"'

    client.force_login(bob)  # Brightline has no covered system on 8.0
    assert client.get(address).status_code == 404
    assert client.get(reverse("upgrades:downloads")).context["downloads"].count() == 0

    client.force_login(carol)  # the same reseller as alice: the entitlement is the reseller's
    assert client.get(address).status_code == 200

    client.logout()
    assert client.get(address).status_code == 302


def test_an_unsupported_release_is_not_served_even_to_a_covered_reseller(
    client, alice, acme, covered_system, downloads
):
    covered_system(acme, "CX-2", release="7.5")
    client.force_login(alice)
    address = reverse("upgrades:download_file", args=[downloads["CallXpress 7.5"].pk])
    assert client.get(address).status_code == 404


def test_files_have_no_public_address(media, downloads):
    download = downloads["CallXpress 8.1"]
    assert download.file.url == ""
    assert download.file.path.startswith(os.path.join(str(media), "private"))


def test_a_download_in_the_bucket_reaches_an_entitled_reseller_by_a_signed_address(
    client, bucket, alice, bob, acme, covered_system, downloads
):
    covered_system(acme, "CX-1", release="8.0")
    hot_fix = downloads["CallXpress 8.0"]
    address = reverse("upgrades:download_file", args=[hot_fix.pk])

    assert f"private/{hot_fix.file.name}" in bucket.object_keys()
    client.force_login(bob)
    assert client.get(address).status_code == 404
    client.force_login(alice)
    signed = client.get(address)["Location"]
    assert signed.startswith(f"{bucket.server.endpoint}/{bucket.name}/private/downloads/")
    with urllib.request.urlopen(signed, timeout=10) as response:
        assert response.read() == b"PKHot fix 3"
        assert response.headers["Content-Disposition"] == 'attachment; filename="hot-fix-3.zip"'
