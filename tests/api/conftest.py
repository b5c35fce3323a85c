"""API fixtures: clients that log in by token, and the SPEC §6.2 example system CX-1."""

from datetime import date

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from contracts.services import contract_book


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Personas get passwords; the production hasher would spend most of these tests' time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Throttle counts live in the cache; one test's requests never count against another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """`api(user)`: a client sending `Authorization: Token …` for that user; `api()` anonymous."""

    def client_for(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.fixture
def cx1(acme, make_system):
    """The SPEC §6.2 example: CallXpress 8.0 (8.1 current), one TTS channel, covered in 2026."""
    system = make_system(acme, customer="Globex", release="8.0", tts_channels=1, um_clients=50)
    system.serial_number = "CX-1"
    system.save()
    contract_book(
        system=system,
        kind="plan",
        booked_on=date(2026, 1, 1),
        term_months=12,
        covers_tts=True,
        po_number="PO-1",
    )
    system.refresh_from_db()
    return system
