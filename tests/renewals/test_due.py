"""What is due for renewal on a date: the rows of the monthly e-mail and of renewals/due."""

import contextlib
import random
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts import rules
from contracts.models import Contract, System
from contracts.services import contract_book
from partnerxpress.core.errors import RuleViolation
from renewals.due import DUE, EXPIRED, renewal_due_list

D = date.fromisoformat
ON = D("2026-06-01")


def book(system, kind, booked_on, term=12, **extra):
    return contract_book(
        system=system, kind=kind, booked_on=D(booked_on), term_months=term, **extra
    )


def listed(reseller, on=ON):
    return {row.serial_number: row for row in renewal_due_list(reseller, on).rows}


@pytest.mark.django_db
def test_recently_expired_and_due_systems_are_listed_with_their_renew_by_date(acme, make_system):
    expired = make_system(acme, serial_number="CX-EXPIRED")
    book(expired, "plan", "2025-05-10")  # ended 2026-05-09: 23 days before the 1st
    due = make_system(acme, serial_number="CX-DUE", customer="Initech")
    book(due, "plan", "2025-08-15")  # ends 2026-08-14: within 90 days
    rows = listed(acme)
    assert rows["CX-EXPIRED"].section == EXPIRED
    assert rows["CX-EXPIRED"].coverage_ends_on == D("2026-05-09")
    assert rows["CX-EXPIRED"].renew_by == D("2026-06-08")
    assert rows["CX-DUE"].section == DUE
    assert (rows["CX-DUE"].customer, rows["CX-DUE"].renew_by) == ("Initech", D("2026-09-13"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ends_on", "listed_as"),
    [
        ("2026-05-01", None),  # 31 days before: lapsed
        ("2026-05-02", EXPIRED),  # 30 days before: last day of grace
        ("2026-05-31", EXPIRED),  # the day before
        ("2026-06-01", DUE),  # ends on the date itself
        ("2026-08-30", DUE),  # 90 days after
        ("2026-08-31", None),  # 91 days after: covered
    ],
)
def test_the_window_is_30_days_back_and_90_days_ahead(acme, make_system, ends_on, listed_as):
    system = make_system(acme, serial_number="CX-1")
    end = D(ends_on)
    starts = end + timedelta(days=1) - relativedelta(months=12)
    book(system, "plan", starts.isoformat())
    assert system.contracts.get().ends_on == end
    row = listed(acme).get("CX-1")
    assert (row.section if row else None) == listed_as


@pytest.mark.django_db
def test_rightfax_lapsed_never_covered_and_pending_systems_are_not_listed(acme, make_system):
    lapsed = make_system(acme, serial_number="CX-LAPSED")
    book(lapsed, "plan", "2024-01-01")
    make_system(acme, serial_number="CX-NEVER")
    pending = make_system(acme, serial_number="CX-PENDING")
    book(pending, "new_purchase", "2026-05-20")  # starts 2026-06-19
    rightfax = make_system(acme, serial_number="RF-1", product="RightFax", release="10.0")
    System.objects.filter(pk=rightfax.pk).update(
        chain_starts_on=D("2025-07-01"), chain_ends_on=D("2026-06-30")
    )  # even with coverage recorded (legacy data), RightFax is never XpressCare
    assert listed(acme) == {}


@pytest.mark.django_db
def test_a_system_renewed_past_the_window_is_not_listed(acme, make_system):
    system = make_system(acme, serial_number="CX-1")
    book(system, "plan", "2025-07-01")  # ends 2026-06-30: due
    assert "CX-1" in listed(acme)
    book(system, "renewal", "2026-05-20")  # now ends 2027-06-30
    assert "CX-1" not in listed(acme)


@pytest.mark.django_db
def test_a_renewal_booked_during_grace_takes_the_system_off_the_list(acme, make_system):
    system = make_system(acme, serial_number="CX-1")
    book(system, "plan", "2025-05-10")
    assert listed(acme)["CX-1"].section == EXPIRED
    book(system, "renewal", "2026-05-25")  # in the window: starts 2026-05-10
    assert "CX-1" not in listed(acme, on=D("2026-05-26"))


@pytest.mark.django_db
def test_required_add_ons_are_given(acme, make_system):
    system = make_system(acme, serial_number="CX-1", um_clients=51, tts_channels=2)
    book(system, "plan", "2025-08-01", covers_um_clients=True, covers_tts=True)
    row = listed(acme)["CX-1"]
    assert (row.requires_um_coverage, row.requires_tts_coverage) == (True, True)
    system50 = make_system(acme, serial_number="CX-2", um_clients=50)
    book(system50, "plan", "2025-08-01")
    assert listed(acme)["CX-2"].requires_um_coverage is False


@pytest.mark.django_db
def test_only_the_resellers_own_systems_are_listed(acme, brightline, make_system):
    book(make_system(acme, serial_number="CX-ACME"), "plan", "2025-08-01")
    book(make_system(brightline, serial_number="CX-BRIGHT"), "plan", "2025-08-01")
    assert set(listed(acme)) == {"CX-ACME"}
    assert set(listed(brightline)) == {"CX-BRIGHT"}


@pytest.mark.django_db
def test_rows_are_ordered_by_customer_then_expiry(acme, make_system):
    for serial, customer, booked in [
        ("CX-3", "Zenith", "2025-07-01"),
        ("CX-2", "Acorn", "2025-08-01"),
        ("CX-1", "Acorn", "2025-07-15"),
    ]:
        book(make_system(acme, serial_number=serial, customer=customer), "plan", booked)
    assert [row.serial_number for row in renewal_due_list(acme, ON).rows] == [
        "CX-1",
        "CX-2",
        "CX-3",
    ]


@pytest.mark.django_db
def test_the_list_is_exact_on_any_date_even_before_the_last_two_chains(acme, make_system):
    """Random histories, many dates (past ones too): the list equals the rule applied to all."""
    rng = random.Random(6)
    today = D("2026-11-26")
    for n in range(60):
        product = "RightFax" if n % 15 == 0 else "CallXpress"
        system = make_system(
            acme, product=product, release="10.0" if product == "RightFax" else "8.0"
        )
        booked = today - timedelta(days=rng.randrange(1500, 2500))
        kind = rng.choice([rules.PurchaseKind.PLAN, rules.PurchaseKind.NEW_PURCHASE])
        for _ in range(rng.randrange(0, 8)):
            with contextlib.suppress(RuleViolation):
                book(system, kind, booked.isoformat(), term=rng.choice(rules.TERMS[kind]))
            # Renew on time, or let it lapse and come back with a paid upgrade: many chains.
            kind = rng.choice([rules.PurchaseKind.RENEWAL, rules.PurchaseKind.UPGRADE])
            booked += timedelta(days=rng.randrange(300, 500))
    systems = list(System.objects.select_related("product"))
    periods = {
        s.pk: [c.purchase.period for c in Contract.objects.filter(system=s)] for s in systems
    }
    many_chains = [s for s in systems if len(rules.chains(periods[s.pk])) >= 3]
    assert len(many_chains) >= 3  # their older chains are not on the summary columns
    sections = {rules.Status.GRACE: EXPIRED, rules.Status.EXPIRING: DUE}
    seen = set()
    for offset in range(-2400, 400, 17):
        on = today + timedelta(days=offset)
        expected = {}
        for s in systems:
            coverage = rules.coverage_on(
                periods[s.pk], eligible=s.product.is_xpresscare_eligible, on=on
            )
            if coverage.status in sections:
                expected[s.serial_number] = (sections[coverage.status], coverage.ends_on)
        got = {
            r.serial_number: (r.section, r.coverage_ends_on)
            for r in renewal_due_list(acme, on).rows
        }
        assert got == expected, on
        seen |= {section for section, _ in got.values()}
    assert seen == {EXPIRED, DUE}


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_systems(acme, make_system):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            renewal_due_list(acme, ON)
        return len(captured)

    for n in range(10):
        book(make_system(acme), "plan", f"2025-08-{n + 1:02d}")
    few = queries()
    for n in range(40):
        book(make_system(acme), "plan", f"2025-07-{n % 28 + 1:02d}")
    assert len(renewal_due_list(acme, ON).rows) == 50
    assert queries() == few == 5  # systems, periods, price list, term discounts, decisions
