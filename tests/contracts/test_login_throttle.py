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


@pytest.mark.django_db
def test_behind_a_proxy_each_client_address_is_throttled_on_its_own(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_IPWARE_PROXY_COUNT = 1  # what DJANGO_PROXY_COUNT=1 sets
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    login = reverse("login")
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.5, 10.0.0.2"}
    for _ in range(2):
        client.post(login, {"username": "alice", "password": "guess"}, **attacker)
    assert client.post(login, {"username": "alice", "password": "x"}, **attacker).status_code == 429

    alice_at_work = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 10.0.0.2"}
    signed_in = client.post(
        login, {"username": "alice", "password": "partnerxpress"}, **alice_at_work
    )
    assert signed_in.status_code == 302
