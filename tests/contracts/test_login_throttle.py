"""Guessing passwords is throttled (django-axes): a clear page, and the right password waits too."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_repeated_wrong_passwords_pause_signing_in(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 3
    login = reverse("login")
    for _ in range(2):
        wrong = client.post(login, {"username": "alice", "password": "guess"})
        assert wrong.status_code == 200
        assert "Please enter a correct" in wrong.content.decode()

    locked = client.post(login, {"username": "alice", "password": "guess"})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Signing in is paused" in page and "“alice”" in page and "an hour" in page

    right = client.post(login, {"username": "alice", "password": "partnerxpress"})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_another_user_from_the_same_address_is_not_paused(client, alice, carol, settings):
    settings.AXES_FAILURE_LIMIT = 2
    login = reverse("login")
    for _ in range(2):
        client.post(login, {"username": "alice", "password": "guess"})

    signed_in = client.post(login, {"username": "carol", "password": "partnerxpress"})
    assert signed_in.status_code == 302
