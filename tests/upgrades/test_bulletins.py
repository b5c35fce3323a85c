"""Product bulletins: each reseller with upgrade-eligible systems hears once, whatever happens."""

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from notifications.models import Email
from notifications.services import email_sweep
from upgrades import services
from upgrades.models import Bulletin
from upgrades.tasks import bulletin_notify_task


def notices() -> dict[str, Email]:
    return {email.to: email for email in Email.objects.filter(kind="bulletin")}


@pytest.mark.django_db
def test_publishing_notifies_the_representatives_of_resellers_with_eligible_systems(
    fleet, bulletin, olivia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        assert services.bulletin_publish(bulletin=bulletin, by=olivia)
    assert len(queued) == 1  # the fan-out task, after commit

    assert services.bulletin_notify(bulletin_id=bulletin.pk) == 3
    sent = notices()
    # alice (Acme) and bob (Brightline) are representatives; Dune has none, so dan (contracts
    # access) hears; dora has no access, Cobalt's systems already run 8.1.
    assert set(sent) == {"alice@reseller.example", "bob@reseller.example", "dan@reseller.example"}
    acme = sent["alice@reseller.example"]
    assert acme.subject == (
        "CallXpress 8.1 is available: 2 of your systems qualify for a no-charge upgrade"
    )
    assert "Globex · CX-A1 · CallXpress 8.0" in acme.body_text
    assert "Initech · CX-A2 · CallXpress 7.5" in acme.body_text
    assert "CX-A3" not in acme.body_text and "CX-A4" not in acme.body_text
    assert "/orders/new/no-charge-upgrade/?serial=CX-A1" in acme.body_text
    assert f"/upgrades/bulletins/#bulletin-{bulletin.pk}" in acme.body_html
    assert ">PartnerXpress</span>" in acme.body_html  # the one e-mail layout
    assert "CX-B1" not in acme.body_text  # nothing of another reseller


@pytest.mark.django_db
def test_publishing_twice_or_notifying_twice_sends_nothing_more(
    fleet, bulletin, olivia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        assert services.bulletin_publish(bulletin=bulletin, by=olivia)
        assert not services.bulletin_publish(bulletin=bulletin, by=olivia)
    assert len(queued) == 1
    assert services.bulletin_notify(bulletin_id=bulletin.pk) == 3
    assert services.bulletin_notify(bulletin_id=bulletin.pk) == 0  # e.g. the task redelivered
    assert Email.objects.filter(kind="bulletin").count() == 3
    bulletin.refresh_from_db()
    assert bulletin.notified_at is not None
    assert bulletin.history.first().published_by == olivia


@pytest.mark.django_db
def test_an_unpublished_bulletin_notifies_nobody(fleet, bulletin):
    assert services.bulletin_notify(bulletin_id=bulletin.pk) == 0


@pytest.mark.django_db
def test_the_sweep_requeues_only_a_fan_out_left_unfinished(fleet, bulletin, olivia):
    Bulletin.objects.filter(pk=bulletin.pk).update(
        published_at=timezone.now() - timedelta(minutes=30), published_by=olivia
    )
    finished = Bulletin.objects.create(
        release=bulletin.release,
        title="Old news",
        text=".",
        published_at=timezone.now() - timedelta(days=3),
        notified_at=timezone.now() - timedelta(days=3),
    )
    fresh = Bulletin.objects.create(release=bulletin.release, title="New", text=".")
    Bulletin.objects.filter(pk=fresh.pk).update(published_at=timezone.now())
    stuck = Bulletin.objects.filter(notified_at__isnull=True, published_at__isnull=False)
    assert set(stuck.values_list("pk", flat=True)) == {bulletin.pk, fresh.pk}
    assert services.bulletin_sweep() == 1  # only the one older than STUCK_AFTER
    assert finished.pk != bulletin.pk


@pytest.mark.worker
def test_a_real_worker_sends_each_notice_once_though_publish_is_clicked_twice(
    celery_worker, smtp_server, fleet, bulletin, olivia
):
    # when staff click publish twice and the fan-out task is delivered a second time
    assert services.bulletin_publish(bulletin=bulletin, by=olivia)
    assert not services.bulletin_publish(bulletin=bulletin, by=olivia)
    messages = smtp_server.inbox.wait_for(3)
    bulletin_notify_task.delay(bulletin.pk)
    Bulletin.objects.filter(pk=bulletin.pk).update(
        published_at=timezone.now() - timedelta(hours=1), notified_at=None
    )
    assert services.bulletin_sweep() == 1
    messages = smtp_server.inbox.wait_for(4, timeout=8)

    # then each recipient got exactly one notice, listing its own systems
    assert Counter(m["To"] for m in messages) == {
        "alice@reseller.example": 1,
        "bob@reseller.example": 1,
        "dan@reseller.example": 1,
    }
    by_to = {m["To"]: m for m in messages}
    text = next(
        part.get_payload(decode=True).decode()
        for part in by_to["bob@reseller.example"].walk()
        if part.get_content_type() == "text/plain"
    )
    assert "CX-B1" in text and "CX-A1" not in text


@pytest.mark.worker
def test_a_worker_killed_mid_fan_out_leaves_the_rest_to_the_sweep(
    celery_worker, smtp_server, fleet, bulletin, olivia
):
    # given the worker dies as the bulletin is published (before or during the fan-out)
    assert services.bulletin_publish(bulletin=bulletin, by=olivia)
    celery_worker.kill()

    # when a new worker starts and the sweep finds the fan-out unfinished (or finished)
    celery_worker.start()
    Bulletin.objects.filter(pk=bulletin.pk).update(published_at=timezone.now() - timedelta(hours=1))
    services.bulletin_sweep()
    # ten minutes later, the outbox sweep re-queues any notice the dead worker held
    Email.objects.update(
        created_at=timezone.now() - timedelta(minutes=15),
        claimed_at=timezone.now() - timedelta(minutes=15),
    )
    email_sweep()
    messages = smtp_server.inbox.wait_for(3)
    smtp_server.inbox.wait_for(4, timeout=5)

    # then every recipient has exactly one notice
    assert Counter(m["To"] for m in smtp_server.inbox.messages) == {
        "alice@reseller.example": 1,
        "bob@reseller.example": 1,
        "dan@reseller.example": 1,
    }
    assert len(messages) == 3


@pytest.mark.django_db
def test_the_bulletin_page_lists_the_readers_eligible_systems_with_order_links(
    client, alice, fleet, bulletin, olivia
):
    services.bulletin_publish(bulletin=bulletin, by=olivia)
    client.force_login(alice)
    page = client.get(reverse("upgrades:bulletins")).content.decode()
    assert f'id="bulletin-{bulletin.pk}"' in page and "CallXpress 8.1 brings speech search" in page
    assert "CallXpress 8.1: 2 of your systems are entitled to a no-charge upgrade" in page
    assert "/orders/new/no-charge-upgrade/?serial=CX-A1" in page
    assert "CX-A2" in page and "CX-A3" not in page and "CX-B1" not in page


@pytest.mark.django_db
def test_without_contracts_access_the_bulletins_show_no_systems(client, carol, fleet, bulletin):
    Bulletin.objects.filter(pk=bulletin.pk).update(published_at=timezone.now())
    client.force_login(carol)
    page = client.get(reverse("upgrades:bulletins")).content.decode()
    assert "CallXpress 8.1 brings speech search" in page and "CX-A1" not in page


@pytest.mark.django_db
def test_an_unpublished_bulletin_is_not_shown(client, alice, bulletin):
    client.force_login(alice)
    assert "speech search" not in client.get(reverse("upgrades:bulletins")).content.decode()


@pytest.mark.django_db
def test_the_api_lists_published_bulletins(alice, bulletin, olivia):
    services.bulletin_publish(bulletin=bulletin, by=olivia)
    api = APIClient()
    api.force_authenticate(alice)
    rows = api.get("/api/v1/bulletins/", {"product": "callxpress"}).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [(r["product"], r["release"], r["title"]) for r in rows] == [
        ("CallXpress", "8.1", "CallXpress 8.1 is available")
    ]
    none = api.get("/api/v1/bulletins/", {"product": "Seneca"}).json()
    assert (none["results"] if isinstance(none, dict) else none) == []


@pytest.mark.django_db
def test_a_system_already_on_an_upgrade_order_is_not_asked_for_again(
    client, alice, fleet, bulletin, olivia
):
    from renewals import services as orders

    order, _ = orders.order_submit(
        user=alice,
        kind="no_charge_upgrade",
        po_number="PO-1",
        customer_name="Globex",
        lines=[orders.LineRequest("CX-A1")],
    )
    services.bulletin_publish(bulletin=bulletin, by=olivia)
    services.bulletin_notify(bulletin_id=bulletin.pk)
    text = notices()["alice@reseller.example"].body_text
    assert "CX-A1" not in text and "CX-A2" in text
    client.force_login(alice)
    page = client.get(reverse("upgrades:bulletins")).content.decode()
    assert f'Ordered: <a href="/orders/{order.pk}/">{order.number}</a> (submitted)' in page
