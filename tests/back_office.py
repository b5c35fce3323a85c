"""A back office with real objects of every model admin shows, made through the services.

`back_office()` (a fixture in tests/conftest.py) builds it: orders in every state, contracts, a
closed per-incident case with its bill, a published and a draft bulletin, a ready letter with its
PDF, a digest run and the e-mails all of these sent, a calendar feed. The admin walkers use it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.utils import timezone

from contracts.models import Reseller, System, User
from contracts.services import access_request_submit, renewal_decision_record
from contracts.services.letters import letter_generate, letter_request
from incidents.services import case_close, case_open, time_entry_add
from partnerxpress.core.tenancy import user_today
from renewals import services as orders
from renewals.models import Order
from renewals.services.calendar import calendar_feed_turn_on
from renewals.services.digests import digest_send
from tests.contracts.factories import system_in_status
from tests.factories import StaffFactory, UserFactory
from upgrades.models import Bulletin, Download
from upgrades.services import bulletin_publish


@dataclass
class BackOffice:
    """What the walkers need to name: the governed records and the staff who walk."""

    root: User
    viewer: User  # staff with every view permission and nothing else
    booked: Order
    submitted: Order
    covered: System  # has contracts: its product and reseller are fixed


def staff_who_only_view() -> User:
    viewer = StaffFactory(username="vera", first_name="Vera")
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return viewer


def _orders(alice: User, root: User, reseller: Reseller) -> tuple[Order, Order]:
    today = user_today(alice)
    for status in ("expiring", "lapsed", "never"):
        system_in_status(reseller, status, today, serial_number=f"CX-{status.upper()}")
    line = orders.LineRequest

    def place(kind, po, serial, **extra):
        return orders.order_submit(user=alice, kind=kind, po_number=po, lines=[serial], **extra)[0]

    booked = place("renewal", "PO-BOOKED", line("CX-EXPIRING", 12))
    orders.order_book(order=booked, booked_on=today, by=root)
    rejected = place("plan", "PO-REJECTED", line("CX-NEVER", 12))
    orders.order_reject(order=rejected, reason="Unsigned PO.", by=root)
    shipped = place("no_charge_upgrade", "PO-SHIPPED", line("CX-EXPIRING"), customer_name="Globex")
    orders.order_book(order=shipped, booked_on=today, by=root)
    orders.order_ship(order=shipped, shipping_charge=Decimal("35.00"), by=root)
    submitted = place("upgrade", "PO-SUBMITTED", line("CX-LAPSED", 12))
    return booked, submitted


def _support(reseller: Reseller, root: User) -> None:
    """Two per-incident cases with time entered, one of them closed with its bill."""
    importlib.import_module("incidents.migrations.0002_defaults").install(apps, None)
    technician = UserFactory(
        username="tim",
        reseller=reseller,
        is_certified_technician=True,
        certification_expires_on=None,
    )
    system = system_in_status(reseller, "never", user_today(technician), serial_number="CX-CASE")
    # Last week's Wednesday, 10:00 in Pacific time: business hours.
    day = timezone.now().astimezone(UTC).date() - timedelta(days=7)
    day -= timedelta(days=(day.weekday() - 2) % 7)
    opened_at = datetime.combine(day, time(18), UTC)
    for summary in ("Still open", "Closed and billed"):
        case = case_open(
            user=technician,
            system=system,
            severity="normal",
            summary=summary,
            contact_phone="+1 555 0100",
            now=opened_at,
        )
        time_entry_add(case=case, user=root, worked_on=day, minutes=95)
    case_close(
        case=case, user=root, resolution="Reset the board.", now=opened_at + timedelta(hours=2)
    )


def back_office(alice, carol, acme, releases, settings, tmp_path) -> BackOffice:
    """Everything admin shows, once; MEDIA_ROOT is a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    root = StaffFactory(username="root", is_superuser=True, email="root@avst.example")
    booked, submitted = _orders(alice, root, acme)
    _support(acme, root)
    access_request_submit(user=carol, message="Please")
    draft = Bulletin.objects.create(release=releases["CallXpress 8.1"], title="Draft", text="Soon")
    published = Bulletin.objects.create(
        release=releases["CallXpress 8.1"], title="CallXpress 8.1", text="Out now."
    )
    bulletin_publish(bulletin=published, by=root)
    assert draft.published_at is None
    download = Download(release=releases["CallXpress 8.1"], kind="hot_fix", title="Hot fix 1")
    download.file.save("hf1.zip", ContentFile(b"PK"))
    letter = letter_request(contract=booked.lines.get().contract, user=alice)
    letter_generate(letter.pk)
    digest_send(reseller_id=acme.pk, on=user_today(alice))
    decided = system_in_status(acme, "expiring", user_today(alice), serial_number="CX-DECIDED")
    renewal_decision_record(system=decided, user=alice, kind="will_not_renew", reason="replaced")
    calendar_feed_turn_on(user=alice)
    _third_party_rows(root, alice)
    return BackOffice(
        root=root,
        viewer=staff_who_only_view(),
        booked=booked,
        submitted=submitted,
        covered=System.objects.get(serial_number="CX-EXPIRING"),
    )


def _third_party_rows(root: User, alice: User) -> None:
    """Rows of the admin log, tokens and login throttling, as using the site makes them."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=alice)
    LogEntry.objects.log_actions(
        user_id=root.pk,
        queryset=User.objects.filter(pk=alice.pk),
        action_flag=CHANGE,
        change_message="Action: Grant",
    )
    where = {"user_agent": "pytest", "ip_address": "127.0.0.1", "username": "alice"}
    where |= {"http_accept": "text/html", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**where, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**where)
    AccessFailureLog.objects.create(**where)
