"""Turning the calendar feed on, resetting and turning it off: the portal page /calendar/ and
POST/DELETE /api/v1/calendar/ (SPEC §2, §6.2, §6.5)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from renewals.api.calendar import CanSubscribeToCalendar
from renewals.models import CalendarFeed
from renewals.services.calendar import calendar_feed_turn_on

PAGE = reverse("calendar")
API = reverse("api-calendar")
ADDRESS = re.compile(r">(http[^<]+/calendar/([A-Za-z0-9_-]+)\.ics)</textarea>")

pytestmark = pytest.mark.django_db


def shown_address(response) -> tuple[str, str]:
    """(address, token) of the feed the page shows once."""
    found = ADDRESS.search(response.content.decode())
    assert found, "the page shows no address"
    return found.group(1), found.group(2)


def feed_path(address: str) -> str:
    return "/" + address.split("/", 3)[3]


# --- the portal page ------------------------------------------------------------------------


def test_the_page_explains_how_to_subscribe_and_offers_to_turn_it_on(client, alice):
    client.force_login(alice)

    text = client.get(PAGE).content.decode()

    assert "Turn on" in text and "Reset address" not in text
    for program in ("Outlook", "Google Calendar", "Apple Calendar"):
        assert program in text


def test_turning_it_on_shows_the_address_once(client, alice, settings):
    client.force_login(alice)

    response = client.post(PAGE, {"action": "on"})
    address, token = shown_address(response)
    text = response.content.decode()

    assert response.status_code == 200
    assert address.startswith(settings.PORTAL_URL + "/calendar/")
    assert "Your calendar feed is on." in text and "will not be shown again" in text
    assert 'data-copy="feed-address"' in text and "portal/copy.js" in text
    assert "webcal://" + address.split("://", 1)[1] in text
    assert "no-store" in response["Cache-Control"]
    assert Client().get(feed_path(address)).status_code == 200
    later = client.get(PAGE).content.decode()
    assert token not in later
    assert "Reset address" in later and "Turn off" in later


def test_resetting_shows_a_new_address_and_the_old_one_stops_working(client, alice):
    client.force_login(alice)
    old, _ = shown_address(client.post(PAGE, {"action": "on"}))

    response = client.post(PAGE, {"action": "reset"})
    new, _ = shown_address(response)

    assert new != old
    assert "the old one no longer works" in response.content.decode()
    assert Client().get(feed_path(old)).status_code == 404
    assert Client().get(feed_path(new)).status_code == 200


def test_turning_it_off_confirms_and_the_address_stops_working(client, alice):
    client.force_login(alice)
    address, _ = shown_address(client.post(PAGE, {"action": "on"}))

    response = client.post(PAGE, {"action": "off"}, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert "Your calendar feed is off" in response.content.decode()
    assert "Turn on" in response.content.decode()
    assert Client().get(feed_path(address)).status_code == 404


def test_the_buttons_need_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    assert client.post(PAGE, {"action": "on"}).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_a_user_without_contracts_access_gets_the_request_access_page(client, carol):
    client.force_login(carol)

    for response in (client.get(PAGE), client.post(PAGE, {"action": "on"})):
        assert response.status_code == 403
        assert "Request access" in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_staff_are_told_the_feed_is_for_resellers_users(client, olivia):
    client.force_login(olivia)

    page = client.get(PAGE).content.decode()
    refused = client.post(PAGE, {"action": "on"}, follow=True).content.decode()

    assert "renewal pipeline" in page and "Turn on" not in page
    assert "for that reseller's users" in refused
    assert not CalendarFeed.objects.exists()


def test_the_menu_home_and_contracts_list_link_to_the_page(client, alice, carol):
    client.force_login(alice)
    for url in (reverse("home"), reverse("contracts:list")):
        assert f'href="{PAGE}"' in client.get(url).content.decode(), url
    client.force_login(carol)
    assert f'href="{PAGE}"' not in client.get(reverse("home")).content.decode()


# --- the API --------------------------------------------------------------------------------


def test_post_answers_the_absolute_address_and_posting_again_resets_it(api, alice, settings):
    client = api(alice)

    first = client.post(API)
    second = client.post(API)

    assert first.status_code == second.status_code == 200
    assert set(first.json()) == {"url"}
    assert first.json()["url"].startswith(settings.PORTAL_URL + "/calendar/")
    assert first.json()["url"].endswith(".ics")
    assert second.json()["url"] != first.json()["url"]
    assert Client().get(feed_path(first.json()["url"])).status_code == 404
    assert Client().get(feed_path(second.json()["url"])).status_code == 200


def test_delete_turns_it_off_with_204_also_when_it_was_off(api, alice):
    client = api(alice)
    address = client.post(API).json()["url"]

    assert client.delete(API).status_code == 204
    assert client.delete(API).status_code == 204
    assert Client().get(feed_path(address)).status_code == 404


def test_one_users_delete_leaves_anothers_feed_on(api, alice, bob):
    bobs = api(bob).post(API).json()["url"]

    assert api(alice).delete(API).status_code == 204

    assert Client().get(feed_path(bobs)).status_code == 200


@pytest.mark.parametrize("method", ["post", "delete"])
def test_anonymous_callers_get_401(api, method):
    response = getattr(api(), method)(API)

    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("method", ["post", "delete"])
def test_without_contracts_access_or_as_staff_it_is_a_403(api, carol, olivia, method):
    refused_carol = getattr(api(carol), method)(API)
    refused_staff = getattr(api(olivia), method)(API)

    assert refused_carol.status_code == refused_staff.status_code == 403
    assert refused_staff.json() == {"detail": CanSubscribeToCalendar.message}
    assert not CalendarFeed.objects.exists()


def test_the_api_and_the_portal_turn_on_the_same_feed(api, client, alice):
    token = calendar_feed_turn_on(user=alice)

    api(alice).delete(API)

    assert Client().get(reverse("calendar_feed", kwargs={"token": token})).status_code == 404
    client.force_login(alice)
    assert "Turn on" in client.get(PAGE).content.decode()


# --- the back office ------------------------------------------------------------------------


def test_staff_see_who_has_a_feed_on_and_nothing_to_change(client, alice, olivia):
    olivia.is_superuser = True
    olivia.save()
    calendar_feed_turn_on(user=alice)
    feed = CalendarFeed.objects.get(user=alice)
    client.force_login(olivia)

    listed = client.get(reverse("admin:renewals_calendarfeed_changelist")).content.decode()
    shown = client.get(reverse("admin:renewals_calendarfeed_change", args=[feed.pk]))

    assert "alice" in listed and "Acme Voice" in listed
    assert shown.status_code == 200
    assert feed.token_hash not in listed + shown.content.decode()
    assert 'name="_save"' not in shown.content.decode()
