"""Orders under concurrency, on PostgreSQL with real threads (SQLite would pass by accident)."""

import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.db import close_old_connections

from contracts.models import Contract
from contracts.rules import Period
from partnerxpress.core.errors import RuleViolation
from renewals import services
from renewals.models import Order

D = date.fromisoformat
pytestmark = [pytest.mark.django_db(transaction=True)]


def at_once(*calls: Callable[[], object]) -> list[str]:
    """Run the calls in threads released together; each outcome is "ok" or the refusal's code."""
    start = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait()
            call()
            outcomes.append("ok")
        except RuleViolation as refused:
            outcomes.append(refused.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_desks_booking_one_order_at_once_book_it_once(
    postgres, alice, olivia, acme, make_system, book, place
):
    # given one submitted renewal order
    book(make_system(acme, serial_number="CX-1"), "plan", "2025-07-01")
    order = place(alice, "renewal", "PO-1", ("CX-1", 12), on="2026-06-01")

    # when two desks book it in the same instant (on different days, so no unique key helps)
    outcomes = at_once(
        lambda: services.order_book(order=order, booked_on=D("2026-06-02"), by=olivia),
        lambda: services.order_book(order=order, booked_on=D("2026-06-03"), by=olivia),
    )

    # then the order row's lock lets one through and the other finds it booked
    assert sorted(outcomes) == ["ok", "wrong_state"]
    assert Contract.objects.filter(kind="renewal").count() == 1


def test_a_plan_and_an_upgrade_for_one_system_booked_at_once_only_one_is_booked(
    postgres, alice, olivia, acme, make_system, place
):
    # given a system never covered, and both a plan and a paid upgrade ordered for it
    make_system(acme, serial_number="CX-1", release="7.5")
    plan = place(alice, "plan", "PO-1", ("CX-1", 12), on="2026-06-01")
    upgrade = place(alice, "upgrade", "PO-2", ("CX-1", 12), on="2026-06-01")

    # when the desk books both at once
    outcomes = at_once(
        lambda: services.order_book(order=plan, booked_on=D("2026-06-02"), by=olivia),
        lambda: services.order_book(order=upgrade, booked_on=D("2026-06-02"), by=olivia),
    )

    # then the system's lock serialises them: the second sees the first's coverage and is
    # refused with its rule, and stays submitted
    assert sorted(outcomes) in (["ok", "upgrade_while_covered"], ["ok", "plan_after_coverage"])
    assert Contract.objects.count() == 1
    assert sorted(Order.objects.values_list("state", flat=True)) == ["booked", "submitted"]


def test_orders_sharing_systems_book_in_either_order_without_deadlock(
    postgres, alice, olivia, acme, make_system, book, place
):
    # given two renewal orders for the same two systems, listed in opposite orders
    for serial in ("CX-1", "CX-2"):
        book(make_system(acme, serial_number=serial), "plan", "2025-07-01")
    one = place(alice, "renewal", "PO-1", ("CX-1", 12), ("CX-2", 12), on="2026-06-01")
    two = place(alice, "renewal", "PO-2", ("CX-2", 12), ("CX-1", 12), on="2026-06-01")

    # when both are booked at once
    outcomes = at_once(
        lambda: services.order_book(order=one, booked_on=D("2026-06-02"), by=olivia),
        lambda: services.order_book(order=two, booked_on=D("2026-06-03"), by=olivia),
    )

    # then both go through, one after the other, and the renewals chain without overlap
    assert outcomes == ["ok", "ok"]
    for serial in ("CX-1", "CX-2"):
        periods = sorted(
            Period(c.starts_on, c.ends_on)
            for c in Contract.objects.filter(system__serial_number=serial)
        )
        assert [p.ends_on for p in periods] == [D("2026-06-30"), D("2027-06-30"), D("2028-06-30")]


def test_the_same_po_number_submitted_twice_at_once_makes_one_order(
    postgres, alice, acme, make_system, book
):
    book(make_system(acme, serial_number="CX-1"), "plan", "2025-07-01")
    orders: list[Order] = []

    def submit() -> None:
        order, _ = services.order_submit(
            user=alice,
            kind="renewal",
            po_number="PO-1",
            lines=[services.LineRequest("CX-1", 12)],
            on=D("2026-06-01"),
        )
        orders.append(order)

    assert at_once(submit, submit) == ["ok", "ok"]
    assert Order.objects.count() == 1
    assert orders[0].pk == orders[1].pk
