"""The calendar feed (SPEC §6.5): what it lists, read back by a real iCalendar parser; when its
address stops working; its request budget; one query for any number of systems."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from contracts import rules
from contracts.services import contract_book, renewal_decision_record
from partnerxpress.core.locales import day_text, in_region
from renewals.models import CalendarFeed
from renewals.services.calendar import calendar_feed_turn_off, calendar_feed_turn_on
from tests.contracts.factories import bulk_systems, system_in_status
from tests.factories import CustomerFactory

NOW = datetime(2027, 3, 10, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles, 18:00 in London

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def today(alice) -> date:
    return alice.reseller.region.today_now()


def feed_url(token: str) -> str:
    return reverse("calendar_feed", kwargs={"token": token})


def fetch(client, token: str):
    return client.get(feed_url(token))


def events(response) -> dict[str, dict]:
    """The feed's events by serial number (the start of each UID), as a parser reads them."""
    assert response.status_code == 200, response.status_code
    calendar = Calendar.from_ical(response.content)
    found = {}
    for event in calendar.walk("VEVENT"):
        found[str(event["uid"]).split("-20")[0]] = {
            "uid": str(event["uid"]),
            "start": event.decoded("dtstart"),
            "summary": str(event["summary"]),
            "description": str(event["description"]),
            "url": str(event["url"]),
            "dtstamp": event.decoded("dtstamp"),
        }
    return found


def renew_by(system, on: date) -> date:
    """The renew-by date by the Python rules, from the system's contracts."""
    periods = [rules.Period(c.starts_on, c.ends_on) for c in system.contracts.all()]
    return rules.coverage_on(periods, eligible=True, on=on).renew_by


@pytest.fixture
def acme_systems(alice, today):
    """One Acme system in every status, and two renewable ones with a decision applying."""
    made = {
        status: system_in_status(
            alice.reseller, status, today, serial_number=f"CX-{status.upper()}", customer="Globex"
        )
        for status in ("covered", "expiring", "grace", "pending", "lapsed", "never", "ineligible")
    }
    made["declined"] = system_in_status(alice.reseller, "expiring", today, serial_number="CX-NO")
    renewal_decision_record(
        system=made["declined"], user=alice, kind="will_not_renew", reason="replaced", today=today
    )
    made["snoozed"] = system_in_status(alice.reseller, "expiring", today, serial_number="CX-LATER")
    renewal_decision_record(
        system=made["snoozed"],
        user=alice,
        kind="remind_later",
        until=today + timedelta(days=10),
        today=today,
    )
    return made


def test_the_feed_lists_each_renewable_undecided_system_on_its_renew_by_date(
    client, alice, bob, settings, acme_systems, today
):
    system_in_status(bob.reseller, "expiring", today, serial_number="BRIGHT-1")
    token = calendar_feed_turn_on(user=alice)

    response = fetch(client, token)
    found = events(response)

    assert sorted(found) == ["CX-COVERED", "CX-EXPIRING", "CX-GRACE", "CX-PENDING"]
    for serial, event in found.items():
        system = next(s for s in acme_systems.values() if s.serial_number == serial)
        chain_end = rules.coverage_on(
            [rules.Period(c.starts_on, c.ends_on) for c in system.contracts.all()],
            eligible=True,
            on=today,
        ).ends_on
        page = f"{settings.PORTAL_URL}/systems/{serial}/"
        assert event["start"] == renew_by(system, today)
        assert type(event["start"]) is date  # an all-day event, not a time
        assert event["uid"] == f"{serial}-{chain_end:%Y%m%d}@partnerxpress"
        assert serial in event["summary"] and "Globex" in event["summary"]
        with in_region(alice.reseller.region):
            assert f"ends on {day_text(chain_end)}" in event["description"].replace("ended", "ends")
        assert page in event["description"]
        assert event["url"] == page
        assert event["dtstamp"] == NOW


def test_the_feed_is_an_rfc_5545_file_served_as_text_calendar(client, alice, acme_systems):
    token = calendar_feed_turn_on(user=alice)

    response = fetch(client, token)
    text = response.content.decode()

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="xpresscare-renewals.ics"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "VERSION:2.0\r\n" in text and "PRODID:" in text
    assert "DTSTART;VALUE=DATE:" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded lines
    assert "X-WR-CALNAME:XpressCare renewals · Acme Voice" in text


def test_another_resellers_systems_never_appear(client, alice, bob, today):
    system_in_status(alice.reseller, "expiring", today, serial_number="ACME-1")
    system_in_status(bob.reseller, "expiring", today, serial_number="BRIGHT-1")

    alices = events(fetch(client, calendar_feed_turn_on(user=alice)))
    bobs = events(fetch(client, calendar_feed_turn_on(user=bob)))

    assert list(alices) == ["ACME-1"]
    assert list(bobs) == ["BRIGHT-1"]


def test_the_uid_stays_across_fetches_and_changes_when_a_renewal_is_booked(
    client, alice, acme_systems, today
):
    token = calendar_feed_turn_on(user=alice)
    before = events(fetch(client, token))
    expiring = acme_systems["expiring"]

    again = events(fetch(client, token))
    contract_book(system=expiring, kind="renewal", booked_on=today, term_months=12)
    after = events(fetch(client, token))

    assert again == before
    assert after["CX-EXPIRING"]["uid"] != before["CX-EXPIRING"]["uid"]
    assert after["CX-EXPIRING"]["start"] == renew_by(expiring, today)
    assert after["CX-EXPIRING"]["start"] > before["CX-EXPIRING"]["start"]
    assert {serial: event["uid"] for serial, event in after.items() if serial != "CX-EXPIRING"} == {
        serial: event["uid"] for serial, event in before.items() if serial != "CX-EXPIRING"
    }


def test_a_snoozed_system_comes_back_on_its_remind_later_date(
    client, alice, acme_systems, today, frozen
):
    token = calendar_feed_turn_on(user=alice)
    assert "CX-LATER" not in events(fetch(client, token))

    frozen.move_to(NOW + timedelta(days=9))
    assert "CX-LATER" not in events(fetch(client, token))
    frozen.move_to(NOW + timedelta(days=10))
    assert "CX-LATER" in events(fetch(client, token))
    assert "CX-NO" not in events(fetch(client, token))  # "will not renew" stays out


def test_today_is_the_resellers_region_date(client, alice, bob, frozen):
    """At 00:30 UTC on 2 December it is still 1 December in Los Angeles: a system whose last
    day to renew is 1 December is in Acme's feed; Brightline (GMT) has passed that day."""
    frozen.move_to(datetime(2026, 12, 2, 0, 30, tzinfo=UTC))
    for user, serial in ((alice, "ACME-LAST-DAY"), (bob, "BRIGHT-LAST-DAY")):
        system = system_in_status(user.reseller, "never", date(2026, 12, 1), serial_number=serial)
        contract_book(system=system, kind="plan", booked_on=date(2025, 11, 2), term_months=12)

    alices = events(fetch(client, calendar_feed_turn_on(user=alice)))
    bobs = events(fetch(client, calendar_feed_turn_on(user=bob)))

    assert alices["ACME-LAST-DAY"]["start"] == date(2026, 12, 1)
    assert bobs == {}


def test_dates_are_written_as_the_resellers_region_writes_them(client, alice, bob, today):
    system_in_status(alice.reseller, "expiring", today, serial_number="ACME-1")
    system_in_status(bob.reseller, "expiring", today, serial_number="BRIGHT-1")

    alices = events(fetch(client, calendar_feed_turn_on(user=alice)))["ACME-1"]
    bobs = events(fetch(client, calendar_feed_turn_on(user=bob)))["BRIGHT-1"]

    us, uk = alices["start"], bobs["start"]
    assert f"booked by {us:%b} {us.day}, {us.year}" in alices["description"]  # Jun 8, 2027
    assert f"booked by {uk.day} {uk:%b} {uk.year}" in bobs["description"]  # 8 Jun 2027


# --- the address ----------------------------------------------------------------------------


def test_the_token_has_256_random_bits_and_only_its_hash_is_kept(alice):
    token = calendar_feed_turn_on(user=alice)
    feed = CalendarFeed.objects.get(user=alice)

    assert len(token) >= 43  # 32 bytes in URL-safe base64: 256 bits
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(CalendarFeed.objects.values()))


def test_a_reset_address_is_a_404_at_once_and_the_new_one_works(client, alice):
    old = calendar_feed_turn_on(user=alice)
    assert fetch(client, old).status_code == 200

    new = calendar_feed_turn_on(user=alice)

    assert new != old
    assert fetch(client, old).status_code == 404
    assert fetch(client, new).status_code == 200
    assert CalendarFeed.objects.filter(user=alice).count() == 1


def test_a_turned_off_feed_is_a_404(client, alice):
    token = calendar_feed_turn_on(user=alice)

    assert calendar_feed_turn_off(user=alice) is True
    assert calendar_feed_turn_off(user=alice) is False
    assert fetch(client, token).status_code == 404


def test_an_unknown_address_is_a_404(client, alice):
    calendar_feed_turn_on(user=alice)

    assert fetch(client, "x" * 43).status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [("has_contracts_access", False), ("is_active", False), ("is_staff", True)],
    ids=["lost contracts access", "deactivated", "became staff"],
)
def test_the_address_is_a_404_while_its_user_may_not_have_a_feed(client, alice, field, value):
    token = calendar_feed_turn_on(user=alice)

    setattr(alice, field, value)
    alice.save()
    refused = fetch(client, token)
    setattr(alice, field, not value)
    alice.save()

    assert refused.status_code == 404
    assert fetch(client, token).status_code == 200  # kept: it works again with the access


# --- budget and cost ------------------------------------------------------------------------


def test_an_address_past_its_request_budget_gets_429_with_retry_after(client, alice, bob, settings):
    settings.CALENDAR_FEED_RATE = "3/hour"
    token = calendar_feed_turn_on(user=alice)

    statuses = [fetch(client, token).status_code for _ in range(4)]
    throttled = fetch(client, token)

    assert statuses == [200, 200, 200, 429]
    assert 0 < int(throttled["Retry-After"]) <= 3600
    assert fetch(client, calendar_feed_turn_on(user=bob)).status_code == 200  # its own budget


def test_the_default_budget_allows_60_requests_an_hour(client, alice):
    token = calendar_feed_turn_on(user=alice)

    assert {fetch(client, token).status_code for _ in range(60)} == {200}


def feed_queries(client, token: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert fetch(client, token).status_code == 200
    return len(queries)


def test_the_feed_costs_the_same_two_queries_for_10_systems_and_for_500(client, alice, today):
    """One query finds the address's owner, one reads every event."""
    token = calendar_feed_turn_on(user=alice)
    customer = CustomerFactory(reseller=alice.reseller, name="Many Systems Inc")
    bulk_systems(customer, 10, today, prefix="FEW")
    few = feed_queries(client, token)
    assert len(events(fetch(client, token))) == 10

    bulk_systems(customer, 490, today, prefix="MANY")
    many = feed_queries(client, token)

    assert len(events(fetch(client, token))) == 500
    assert few == many == 2
