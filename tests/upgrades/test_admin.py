"""Staff publish bulletins and attach downloads in admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import StaffFactory
from upgrades.models import Bulletin, Download

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, db):
    client.force_login(StaffFactory(username="root", is_superuser=True))
    return client


def test_staff_publish_a_bulletin_once_with_the_admin_action(
    staff, fleet, bulletin, django_capture_on_commit_callbacks
):
    changelist = reverse("admin:upgrades_bulletin_changelist")
    action = {"action": "publish", "_selected_action": [bulletin.pk]}
    # given the publish action, which first says who will get what
    with django_capture_on_commit_callbacks() as queued:
        asked = staff.post(changelist, action).content.decode()
    assert not queued
    assert "3 e-mails to 3 people" in asked
    for who in ("alice@reseller.example", "bob@reseller.example", "dan@reseller.example"):
        assert who in asked
    assert "2 system(s) of Acme Voice to upgrade" in asked and "Cobalt" not in asked
    # when staff answer yes, twice
    confirmed = {**action, "post": "yes"}
    with django_capture_on_commit_callbacks() as queued:
        staff.post(changelist, confirmed)
        again = staff.post(changelist, confirmed, follow=True)
    # then it is published once
    assert len(queued) == 1
    assert "1 already published: nothing sent again." in again.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.published_by.username == "root"
    assert staff.get(changelist).status_code == 200


def test_staff_attach_a_file_to_a_release_and_it_stays_private(staff, releases, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    answer = staff.post(
        reverse("admin:upgrades_download_add"),
        {
            "release": releases["CallXpress 8.1"].pk,
            "kind": "service_pack",
            "title": "Service pack 1",
            "description": "",
            "file": SimpleUploadedFile("sp1.zip", b"PK sp1"),
        },
    )
    assert answer.status_code == 302
    download = Download.objects.get()
    assert download.file.path.startswith(str(tmp_path / "private"))
    change = staff.get(reverse("admin:upgrades_download_change", args=[download.pk]))
    assert reverse("upgrades:download_file", args=[download.pk]) in change.content.decode()
    assert staff.get(reverse("upgrades:download_file", args=[download.pk])).status_code == 200


def test_a_new_bulletin_records_who_wrote_it(staff, releases):
    staff.post(
        reverse("admin:upgrades_bulletin_add"),
        {"release": releases["Seneca 5.1"].pk, "title": "Seneca 5.1", "text": "Out now."},
    )
    assert Bulletin.objects.get().created_by.username == "root"


def test_a_published_bulletin_is_final_and_says_so(staff, fleet, bulletin, olivia):
    from upgrades.services import bulletin_publish

    change = reverse("admin:upgrades_bulletin_change", args=[bulletin.pk])
    draft = staff.get(change).content.decode()
    assert 'name="_save"' in draft and 'name="title"' in draft  # a draft is still written
    bulletin_publish(bulletin=bulletin, by=olivia)
    html = staff.get(change).content.decode()
    assert "resellers were e-mailed this bulletin, so it no longer changes" in html
    assert 'name="_save"' not in html and 'name="title"' not in html
    assert reverse("admin:upgrades_bulletin_delete", args=[bulletin.pk]) not in html
    assert staff.post(change, {"title": "Other", "text": "x"}).status_code == 403
    delete = reverse("admin:upgrades_bulletin_delete", args=[bulletin.pk])
    assert staff.post(delete, {"post": "yes"}).status_code == 403
    bulletin.refresh_from_db()
    assert bulletin.title == "CallXpress 8.1 is available"
