"""The outbox sends each e-mail once, through a real worker and a real SMTP server."""

import time

import pytest
from django.db import transaction

from notifications.models import Email
from notifications.services import SendFailed, email_enqueue, email_send, email_sweep


def enqueue(number: int, key: str | None = None):
    with transaction.atomic():
        return email_enqueue(
            key=key or f"test:{number}",
            to=f"rep{number}@reseller.example",
            template="test",
            context={"name": "Rep", "number": number},
        )


@pytest.mark.django_db
def test_an_e_mail_is_rendered_from_its_three_templates():
    email = enqueue(1)
    assert email.subject == "Test message 1"
    assert "this is message 1. http://" in email.body_text
    assert email.body_html.startswith("<!doctype html>")  # in the one layout (emails/base.html)
    assert "<p>Hello Rep" in email.body_html


@pytest.mark.django_db
def test_the_same_key_is_enqueued_once():
    assert enqueue(1, key="k") is not None
    assert enqueue(2, key="k") is None
    assert Email.objects.count() == 1


@pytest.mark.django_db
def test_sending_twice_sends_once(smtp_server):
    email = enqueue(1)
    email_send(email.pk)
    email_send(email.pk)
    assert len(smtp_server.inbox.wait_for(1, timeout=2)) == 1
    email.refresh_from_db()
    assert email.status == Email.Status.SENT


@pytest.mark.django_db
def test_an_smtp_failure_is_recorded_and_kept_for_retry(smtp_server):
    email = enqueue(1)
    smtp_server.inbox.refuse = True
    with pytest.raises(Exception, match="Try again later"):
        email_send(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.PENDING, 1)
    assert "Try again later" in email.last_error
    smtp_server.inbox.refuse = False
    Email.objects.filter(pk=email.pk).update(next_attempt_at=None)  # its retry is due
    email_send(email.pk)
    assert len(smtp_server.inbox.wait_for(1, timeout=2)) == 1


@pytest.mark.worker
def test_a_real_worker_delivers_each_queued_e_mail_once(celery_worker, smtp_server):
    for number in range(5):
        enqueue(number)
    enqueue(0)  # the same key again: nothing new
    email_sweep()  # queues nothing new: rows are fresh, so they are left to their own tasks
    messages = smtp_server.inbox.wait_for(5)
    assert sorted(m["Subject"] for m in messages) == [f"Test message {n}" for n in range(5)]
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}


@pytest.mark.worker
def test_with_smtp_down_then_up_every_e_mail_arrives(celery_worker, smtp_server):
    smtp_server.inbox.refuse = True
    for number in range(3):
        enqueue(number)
    deadline = time.monotonic() + 20
    while Email.objects.filter(attempts__gte=1).count() != 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert Email.objects.filter(attempts__gte=1, status=Email.Status.PENDING).count() == 3
    smtp_server.inbox.refuse = False
    messages = smtp_server.inbox.wait_for(3, timeout=40)
    assert len(messages) == 3


def test_subjects_and_text_bodies_are_not_html_escaped_but_html_bodies_are():
    from types import SimpleNamespace

    from notifications.services import email_render

    subject, text, html = email_render("test", {"name": "AT&T <Voice>", "number": 1})
    assert "Hello AT&T <Voice>," in text
    assert "AT&amp;T &lt;Voice&gt;" in html
    order = SimpleNamespace(number="ORD-7", po_number='"A&B"')
    user = SimpleNamespace(first_name="Ann", username="ann")
    subject, _, _ = email_render("order-booked", {"order": order, "lines": [], "user": user})
    assert subject == 'Order ORD-7 (PO "A&B") is booked'


def test_retries_back_off_to_an_hour_and_last_over_six_hours():
    from notifications.services import MAX_ATTEMPTS, retry_delay

    delays = [retry_delay(attempt).total_seconds() for attempt in range(1, MAX_ATTEMPTS)]
    assert delays[:3] == [5, 10, 20]
    assert max(delays) == 3600 and delays == sorted(delays)
    assert sum(delays) > 6 * 3600


@pytest.mark.django_db
def test_a_failed_e_mail_waits_its_turn_and_the_sweep_queues_it_only_when_due(smtp_server):
    from datetime import timedelta

    from django.utils import timezone

    email = enqueue(1)
    Email.objects.filter(pk=email.pk).update(attempts=3)  # e.g. queued again by the sweep
    smtp_server.inbox.refuse = True
    with pytest.raises(SendFailed, match="Try again later") as failed:
        email_send(email.pk)
    assert failed.value.retry_in == 40  # the row's 4th attempt failed, not the task's 1st
    smtp_server.inbox.refuse = False
    assert email_send(email.pk)  # too early: not tried again (a sweep and a retry never both try)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.PENDING, 4)
    assert email.next_attempt_at > timezone.now()
    assert Email.objects.filter(pk=email.pk).count() == 1 and email_sweep() == 0

    Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert email_sweep() == 1


@pytest.mark.django_db
def test_sending_e_mails_again_from_admin_asks_first_and_names_each_recipient(client):
    from django.urls import reverse

    from tests.factories import StaffFactory

    failed = [
        Email.objects.create(key=f"k{n}", kind="test", to=f"r{n}@example.com", subject=f"S{n}")
        for n in (1, 2)
    ]
    Email.objects.filter(pk=failed[0].pk).update(status=Email.Status.FAILED)
    Email.objects.filter(pk=failed[1].pk).update(status=Email.Status.SENT)
    client.force_login(StaffFactory(username="root", is_superuser=True))
    changelist = reverse("admin:notifications_email_changelist")
    action = {"action": "send_again", "_selected_action": [email.pk for email in failed]}
    asked = client.post(changelist, action).content.decode()
    assert "Send 1 e-mail(s) again?" in asked and "r1@example.com" in asked
    assert "1 selected e-mail(s) are sent or being sent: left alone." in asked
    assert Email.objects.get(pk=failed[0].pk).status == Email.Status.FAILED
    client.post(changelist, {**action, "post": "yes"})
    assert Email.objects.get(pk=failed[0].pk).status == Email.Status.PENDING
