"""E-mails of the portal's accounts: password reset, access requested, access granted."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from contracts.services import access_request_submit, contracts_access_grant
from notifications.models import Email
from notifications.services import email_send


@pytest.mark.django_db
def test_password_reset_e_mails_a_link_that_sets_a_new_password(client, alice):
    response = client.post(reverse("password_reset"), {"email": alice.email})
    assert response.status_code == 302
    (email,) = Email.objects.filter(to=alice.email)
    assert email.subject == "Your PartnerXpress password"
    email_send(email.pk)
    (sent,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/reset/\S+/", sent.body).group(0)
    assert link in sent.alternatives[0][0]
    path = "/" + link.split("/", 3)[3]
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    new_password = "a-Much-Better-passphrase-42"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Password saved" in done.content.decode()
    client.logout()
    signed_in = client.post(
        reverse("login"), {"username": "alice", "password": new_password}, follow=True
    )
    assert signed_in.context["user"] == alice


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    assert not Email.objects.exists()


@pytest.mark.worker
def test_access_request_and_grant_e_mails_arrive_through_a_real_worker(
    celery_worker, smtp_server, carol, olivia
):
    request = access_request_submit(user=carol, message="for renewals")
    contracts_access_grant(user=carol, granted_by=olivia)
    messages = smtp_server.inbox.wait_for(2)
    by_recipient = {message["To"]: message for message in messages}
    asked = by_recipient[olivia.email]
    assert "access requested: carol, Acme Voice" in asked["Subject"]
    text, html = (part.get_payload(decode=True).decode() for part in asked.get_payload())
    assert "for renewals" in text and "for renewals" in html
    granted = by_recipient[carol.email]
    assert granted["Subject"] == "Your XpressCare Contracts access is enabled"
    request.refresh_from_db()
    assert request.granted_by == olivia
    assert len(messages) == 2
