"""Every portal page keeps resellers apart and shows no contract data without access.

The test walks every URL pattern of the portal (all but admin/, api/ and accounts/), so pages
added later are covered without changing it. A pattern with arguments needs an entry in a
registry: a module tests/<app>/tenancy.py with

    OBJECTS = {"app:url_name": build}  # build(user) makes an object of user's reseller and
                                       # returns the URL's kwargs for it

`test_every_portal_url_with_arguments_has_a_registry_entry` fails until it has one.

An address whose argument is itself the secret (the calendar feed: whoever holds it reads it
without signing in) goes in that module's SECRET_ADDRESSES instead, built the same way: the
walker checks that it answers without a sign-in, shows only its owner's reseller's data, and
that a made-up secret is a 404.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from contracts.models import Contract, System
from partnerxpress.core.tenancy import user_today
from tests.contracts.factories import system_in_status

EXCLUDED_PREFIXES = ("admin/", "api/", "accounts/")
# answer 403 (the Request access page) to carol
CONTRACT_PAGES = ("/contracts/", "/systems/", "/calendar/")


def portal_urls() -> Iterator[tuple[str | None, str, URLPattern]]:
    """(name with namespaces, route, pattern) of every portal URL pattern."""

    def walk(patterns, prefix: str, namespace: str | None):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                names = ":".join(part for part in (namespace, inner) if part) or None
                yield from walk(pattern.url_patterns, route, names)
            elif not route.startswith(EXCLUDED_PREFIXES):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                yield name, route, pattern

    yield from walk(get_resolver().url_patterns, "", None)


def has_arguments(pattern: URLPattern) -> bool:
    return pattern.pattern.regex.groups > 0


def registry(name: str = "OBJECTS") -> dict[str, Callable]:
    """OBJECTS (or another registry) of every tests/<app>/tenancy.py."""
    objects: dict[str, Callable] = {}
    folder = Path(__file__).parent
    for package in pkgutil.iter_modules([str(folder)]):
        if package.ispkg and (folder / package.name / "tenancy.py").exists():
            module = importlib.import_module(f"tests.{package.name}.tenancy")
            objects.update(getattr(module, name, {}))
    return objects


REGISTRY = registry()
SECRET_ADDRESSES = registry("SECRET_ADDRESSES")
WITH_ARGUMENTS = sorted(
    name
    for name, _, pattern in portal_urls()
    if has_arguments(pattern) and name not in SECRET_ADDRESSES
)
WITHOUT_ARGUMENTS = sorted(name for name, _, pattern in portal_urls() if not has_arguments(pattern))


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def test_every_portal_url_has_a_name():
    unnamed = [route for name, route, _ in portal_urls() if not name]
    assert unnamed == [], "name these URL patterns so the tenancy test can reverse them"


def test_every_portal_url_with_arguments_has_a_registry_entry():
    named = [name for name, _, pattern in portal_urls() if has_arguments(pattern)]
    missing = [name for name in named if name not in REGISTRY and name not in SECRET_ADDRESSES]
    assert missing == [], (
        f"add OBJECTS entries for {missing} in tests/<app>/tenancy.py (see this file's docstring)"
    )


def test_the_walk_finds_the_contracts_pages():
    assert {"home", "contracts:list", "contracts:export"} <= set(WITHOUT_ARGUMENTS)
    assert "system" in WITH_ARGUMENTS


@pytest.fixture
def alice_can_do_anything(alice):
    """Alice may use every page of her own reseller, so only tenancy can refuse her."""
    alice.has_contracts_access = True
    alice.is_certified_technician = True
    alice.certification_expires_on = None
    alice.save()
    return alice


@pytest.mark.django_db
@pytest.mark.parametrize("name", WITH_ARGUMENTS)
def test_alice_gets_404_for_every_object_of_bob(client, alice_can_do_anything, bob, name):
    url = reverse(name, kwargs=REGISTRY[name](bob))
    client.force_login(bob)
    assert client.get(url).status_code != 404, f"bob should reach his own {url}"
    client.force_login(alice_can_do_anything)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    assert response.status_code == 404, f"{name}: alice reached bob's {url}"
    assert "BRIGHT" not in body(response)


@pytest.mark.django_db
@pytest.mark.parametrize("name", WITHOUT_ARGUMENTS)
def test_no_portal_page_shows_alice_anything_of_bob(client, alice_can_do_anything, bob, name):
    bob_serial = system_in_status(
        bob.reseller, "covered", user_today(bob), serial_number="BRIGHT-7"
    ).serial_number
    client.force_login(alice_can_do_anything)
    response = client.get(reverse(name))
    assert response.status_code < 500
    assert bob_serial not in body(response)


def stamped_out(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("DTSTAMP")]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SECRET_ADDRESSES))
def test_a_secret_address_shows_its_owners_data_only_and_a_made_up_one_is_a_404(
    client, alice_can_do_anything, bob, name
):
    today = user_today(bob)
    system_in_status(bob.reseller, "expiring", today, serial_number="BRIGHT-7")
    system_in_status(alice_can_do_anything.reseller, "expiring", today, serial_number="ACME-7")
    kwargs = SECRET_ADDRESSES[name](bob)

    own = client.get(reverse(name, kwargs=kwargs))  # nobody signed in
    made_up = client.get(reverse(name, kwargs={key: value[::-1] for key, value in kwargs.items()}))
    client.force_login(alice_can_do_anything)
    with_alice = client.get(reverse(name, kwargs=kwargs))

    assert own.status_code == 200
    assert "BRIGHT-7" in body(own) and "ACME-7" not in body(own)
    # Whoever asks, the address decides whose data (DTSTAMP is the time of each answer).
    assert stamped_out(body(with_alice)) == stamped_out(body(own))
    assert made_up.status_code == 404


@pytest.fixture
def acme_contract_data(alice):
    """Acme systems and contracts, and every registered object made for Acme."""
    system_in_status(alice.reseller, "expiring", user_today(alice), serial_number="ACME-SECRET")
    urls = [reverse(name, kwargs=build(alice)) for name, build in REGISTRY.items()]
    urls += [reverse(name) for name in WITHOUT_ARGUMENTS]
    serials = list(System.objects.filter(reseller=alice.reseller).values_list("serial_number"))
    numbers = [
        contract.number for contract in Contract.objects.filter(system__reseller=alice.reseller)
    ]
    return urls, [serial for (serial,) in serials] + numbers


@pytest.mark.django_db
def test_carol_without_contracts_access_sees_no_contract_data_anywhere(
    client, carol, acme_contract_data
):
    urls, secrets = acme_contract_data
    assert secrets
    client.force_login(carol)
    for url in urls:
        response = client.get(url)
        text = body(response)
        assert response.status_code < 500, url
        leaked = [secret for secret in secrets if secret in text]
        assert leaked == [], f"{url} shows carol {leaked}"
        if url.startswith(CONTRACT_PAGES) and response.status_code != 405:  # 405: POST only
            assert response.status_code == 403, url
            assert "Request access" in text, url


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(client, acme_contract_data):
    urls, _ = acme_contract_data
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), url
