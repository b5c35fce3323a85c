"""Password reset (issue 16.1, 16.2): the outbox never shows a usable link to staff who read it,
the e-mail sent still carries it, and requests are throttled per address and per client with
the same answers for known and unknown addresses."""

import importlib
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.urls import reverse

from notifications.models import Email
from notifications.services import email_message, email_send
from tests.back_office import staff_who_only_view
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

RESET = reverse("password_reset")
LINK = re.compile(r"https?://[^\s\"<>]+/accounts/reset/([^/\s\"<>]+)/([^/\s\"<>]+)/")


@pytest.fixture
def root(db):
    """A superuser: the account a view-only staff user would like to take over."""
    return StaffFactory(username="root", is_superuser=True, email="root@avst.example")


@pytest.fixture
def mid_hour():
    """Budgets are counted per clock hour: mid-hour, no window ends while a test asks."""
    with time_machine.travel(datetime(2026, 12, 2, 9, 30, tzinfo=UTC), tick=False) as clock:
        yield clock


def reset_e_mail(client, address: str) -> Email:
    client.post(RESET, {"email": address})
    return Email.objects.get(kind="password-reset", to=address)


def test_the_outbox_row_hides_the_link_and_the_sent_e_mail_carries_it(client, root):
    email = reset_e_mail(client, root.email)

    assert "[link hidden]" in email.body_text and "[link hidden]" in email.body_html
    assert not LINK.search(email.body_text + email.body_html)

    email_send(email.pk)

    (sent,) = mail.outbox
    link = LINK.search(sent.body).group(0)
    assert f'href="{link}"' in sent.alternatives[0][0]
    token = LINK.search(sent.body).group(2)
    row = Email.objects.filter(pk=email.pk).values().get()
    assert not any(token in str(value) for value in row.values())  # key, bodies, sealed
    assert row["sealed"] == ""  # sent: the secret is gone
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()


def test_staff_who_may_only_view_e_mails_find_no_working_link_in_admin(client, root):
    viewer = staff_who_only_view()
    email = reset_e_mail(client, root.email)
    sealed = Email.objects.get(pk=email.pk).sealed
    # The link as it will be sent, to search the pages for.
    link = LINK.search(email_message(email).body)
    uid, token = link.group(1), link.group(2)
    client.force_login(viewer)
    changelist = reverse("admin:notifications_email_changelist")

    pages = [
        client.get(changelist),
        client.get(changelist, {"q": token}),
        client.get(changelist, {"q": "password-reset"}),
        client.get(changelist, {"kind__exact": "password-reset"}),
        client.get(reverse("admin:notifications_email_change", args=[email.pk])),
        client.get(reverse("admin:notifications_email_history", args=[email.pk])),
    ]

    assert [page.status_code for page in pages] == [200] * len(pages)
    assert "0 results" in pages[1].content.decode()  # the page echoes the token it was given
    for page in pages[:1] + pages[2:]:
        text = page.content.decode()
        assert token not in text and sealed not in text
    for page in pages:
        assert f"/accounts/reset/{uid}/" not in page.content.decode()
    assert "[link hidden]" in pages[4].content.decode()


def test_the_e_mail_is_sent_once_however_often_it_is_queued(client, root):
    email = reset_e_mail(client, root.email)

    for _ in range(3):
        email_send(email.pk)

    assert len(mail.outbox) == 1
    assert LINK.search(mail.outbox[0].body)


def test_the_migration_hides_links_already_in_the_outbox(root):
    hide = importlib.import_module(
        "notifications.migrations.0007_email_sealed_secrets"
    ).hide_reset_links
    link = "http://127.0.0.1:8000/accounts/reset/MQ/ctk2a1-0123456789abcdef0123456789abcdef/"
    old = {"kind": "password-reset", "to": root.email, "subject": "Your PartnerXpress password"}
    sent = Email.objects.create(
        key=f"password-reset:{root.pk}:ctk2a1-aaa",
        body_text=f"Open:\n\n{link}\n",
        body_html=f'<a href="{link}">Choose</a>',
        status="sent",
        **old,
    )
    waiting = Email.objects.create(
        key=f"password-reset:{root.pk}:ctk2a1-bbb", body_text=f"Open:\n\n{link}\n", **old
    )

    hide(apps, None)

    for email in (sent, waiting):
        email.refresh_from_db()
        assert link not in email.body_text + email.body_html + email.key
        assert "ctk2a1" not in email.key
    assert sent.sealed == ""
    email_send(waiting.pk)
    assert link in mail.outbox[0].body  # not sent yet: it still works


def test_fifteen_requests_for_one_address_queue_three_e_mails(client, alice, settings, mid_hour):
    answers = []
    for _ in range(15):
        answers.append(client.post(RESET, {"email": alice.email}))
        mid_hour.shift(1)  # a new second: a new token (the same one is one e-mail anyway)

    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert Email.objects.filter(to=alice.email).count() == 3


def test_known_and_unknown_addresses_get_the_same_answers(client, alice, settings, mid_hour):
    settings.PASSWORD_RESET_RATE = "5/hour"
    # Each from its own client, so only the address's budget counts...
    known = [
        client.post(RESET, {"email": alice.email}, REMOTE_ADDR=f"10.0.0.{n}") for n in range(6)
    ]
    unknown = [
        client.post(RESET, {"email": "nobody@example.com"}, REMOTE_ADDR=f"10.0.1.{n}")
        for n in range(6)
    ]
    # ... and from one client, past its budget.
    same_client_known = [
        client.post(RESET, {"email": alice.email.upper()}, REMOTE_ADDR="10.9.9.9") for n in range(6)
    ]
    same_client_unknown = [
        client.post(RESET, {"email": "nobody@example.com"}, REMOTE_ADDR="10.9.9.8")
        for n in range(6)
    ]

    def seen(answers):
        return [
            (a.status_code, a.get("Location"), a.get("Retry-After") is not None) for a in answers
        ]

    assert seen(known) == seen(unknown)
    assert seen(same_client_known) == seen(same_client_unknown)
    assert seen(same_client_known)[-1][0] == 429


def test_one_client_asking_for_many_addresses_is_told_to_wait(client, alice, settings, mid_hour):
    settings.PASSWORD_RESET_RATE = "4/hour"
    for n in range(4):
        assert client.post(RESET, {"email": f"someone{n}@example.com"}).status_code == 302

    refused = client.post(RESET, {"email": alice.email})

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Too many reset requests" in refused.content.decode()
    assert not Email.objects.filter(to=alice.email).exists()


@pytest.mark.worker
def test_a_real_worker_sends_the_working_link_once_and_the_outbox_forgets_it(
    celery_worker, smtp_server, client, root
):
    # given: the worker process opens the seal with the same SECRET_KEY
    client.post(RESET, {"email": root.email})

    # when
    (message,) = smtp_server.inbox.wait_for(1)

    # then
    text, html = (part.get_payload(decode=True).decode() for part in message.get_payload())
    link = LINK.search(text).group(0)
    assert f'href="{link}"' in html
    assert "Choose a new password" in client.get(link, follow=True).content.decode()
    email = Email.objects.get(kind="password-reset")
    assert (email.status, email.sealed) == ("sent", "")
    assert "[link hidden]" in email.body_text
    assert len(smtp_server.inbox.wait_for(2, timeout=1)) == 1
