"""The booking service: rules applied as of the booking date, in a locked transaction."""

import threading
from datetime import date

import pytest
from django.db import close_old_connections

from contracts import services
from contracts.models import Contract, System
from partnerxpress.core.errors import RuleViolation

D = date.fromisoformat


def book(system, kind, booked_on, term=12, **extra):
    return services.contract_book(
        system=system, kind=kind, booked_on=D(booked_on), term_months=term, **extra
    )


@pytest.mark.django_db
def test_booking_creates_the_contract_and_keeps_the_chain_on_the_system(acme, make_system):
    system = make_system(acme)
    book(system, "plan", "2025-07-01")
    contract = book(system, "renewal", "2026-06-15", term=13, po_number="PO-7")
    assert (contract.starts_on, contract.ends_on) == (D("2026-07-01"), D("2027-07-31"))
    system.refresh_from_db()
    assert (system.chain_starts_on, system.chain_ends_on) == (D("2025-07-01"), D("2027-07-31"))
    assert system.prior_chain_ends_on is None


@pytest.mark.django_db
def test_a_lapse_then_upgrade_keeps_both_chains_and_moves_the_release(acme, make_system):
    system = make_system(acme, release="7.5")
    book(system, "plan", "2024-01-01")
    book(system, "upgrade", "2025-06-01")
    system.refresh_from_db()
    assert system.release.version == "8.1"
    assert (system.prior_chain_starts_on, system.prior_chain_ends_on) == (
        D("2024-01-01"),
        D("2024-12-31"),
    )
    assert (system.chain_starts_on, system.chain_ends_on) == (D("2025-06-01"), D("2026-05-31"))


@pytest.mark.django_db
def test_a_refused_booking_changes_nothing(acme, make_system):
    system = make_system(acme, um_clients=51)
    with pytest.raises(RuleViolation, match="UM clients"):
        book(system, "plan", "2026-01-01")
    assert not Contract.objects.exists()
    assert System.objects.get().chain_ends_on is None


@pytest.mark.django_db
def test_booking_history_records_the_contract(acme, make_system):
    contract = book(make_system(acme), "plan", "2026-01-01")
    assert contract.history.count() == 1


@pytest.mark.django_db
def test_cancelling_a_booking_recomputes_the_chain(acme, make_system):
    system = make_system(acme)
    book(system, "plan", "2025-01-01")
    renewal = book(system, "renewal", "2025-12-01")
    services.contract_cancel(contract=renewal)
    system.refresh_from_db()
    assert system.chain_ends_on == D("2025-12-31")


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_bookings_at_the_same_moment_one_succeeds(postgres, acme, make_system):
    # given a lapsed system and two desks booking a paid upgrade for it at once
    system = make_system(acme, release="7.5")
    book(system, "plan", "2024-01-01")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def desk(booked_on: str) -> None:
        try:
            start.wait()
            book(system, "upgrade", booked_on)
            outcomes.append("booked")
        except RuleViolation as refused:
            outcomes.append(refused.code)
        finally:
            close_old_connections()

    # when both book on different days (so only the lock, not the unique key, can stop one)
    threads = [threading.Thread(target=desk, args=(d,)) for d in ("2026-06-01", "2026-06-02")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then exactly one upgrade exists and the other was refused (covered, or overlapping)
    assert len(outcomes) == 2 and outcomes.count("booked") == 1
    assert set(outcomes) - {"booked"} <= {"upgrade_while_covered", "overlap"}
    assert Contract.objects.filter(kind="upgrade").count() == 1
