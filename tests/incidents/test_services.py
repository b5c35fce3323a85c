"""Opening, working and closing cases through the services, and the e-mails they send."""

from datetime import date
from decimal import Decimal

import pytest

from incidents import rules, selectors
from incidents.models import Case, Holiday, Rate, TimeEntry
from incidents.services import case_close, case_open, time_entry_add
from notifications.models import Email
from notifications.services import email_send
from partnerxpress.core.errors import RuleViolation
from tests.incidents.conftest import at

THURSDAY_0630_PST = at("2026-11-26T14:30:00Z")
THURSDAY_1900_PST = at("2026-11-27T03:00:00Z")
SATURDAY_1000_PST = at("2026-11-28T18:00:00Z")


def open_case(user, system, now=THURSDAY_0630_PST, severity="normal", **extra):
    return case_open(
        user=user,
        system=system,
        severity=severity,
        summary="Voicemail does not answer",
        contact_phone="+1 206 555 0100",
        now=now,
        **extra,
    )


@pytest.mark.django_db
def test_a_technician_opens_a_per_incident_case_priced_like_the_quote(tess, uncovered):
    case = open_case(tess, uncovered, po_number="PO-77")
    quote = selectors.quote_get(
        system=uncovered, started_at=THURSDAY_0630_PST, minutes=75, system_down=False
    )
    assert (case.kind, case.status, case.reseller, case.opened_by) == (
        "per_incident",
        "open",
        uncovered.reseller,
        tess,
    )
    assert (case.business_hours, case.after_hours_callback, case.starts_at) == (
        True,
        False,
        THURSDAY_0630_PST,
    )
    assert (case.age_years, case.hourly_rate, case.minimum_minutes) == (
        quote.age_years,
        quote.hourly_rate,
        quote.minimum_minutes,
    )
    assert (case.hourly_rate, case.minimum_minutes) == (Decimal("175.00"), 60)
    email = Email.objects.get(kind="case-opened")
    assert email.to == tess.email
    assert email.subject == f"Support case {case.number} opened: Voicemail does not answer"
    assert "per-incident case" in email.body_text
    assert "$175.00 per hour (business hours, system 4 years old)" in email.body_text
    assert "PO number: PO-77" in email.body_text


@pytest.mark.django_db
def test_a_covered_system_gets_an_xpresscare_case_at_no_charge(tess, covered):
    case = open_case(tess, covered)
    assert (case.kind, case.hourly_rate, case.minimum_minutes) == ("xpresscare", None, None)
    assert "included at no charge" in Email.objects.get(kind="case-opened").body_text


@pytest.mark.django_db
def test_a_system_down_xpresscare_case_after_hours_gets_the_emergency_call_back(tess, covered):
    case = open_case(tess, covered, now=SATURDAY_1000_PST, severity="system_down")
    assert case.after_hours_callback
    assert case.starts_at == SATURDAY_1000_PST
    email = Email.objects.get(kind="case-opened")
    assert email.subject.startswith("[Emergency call-back] Support case")
    assert "EMERGENCY AFTER-HOURS CALL-BACK" in email.body_text
    assert "call you back at +1 206 555 0100" in email.body_text
    assert "Emergency after-hours call-back" in email.body_html


@pytest.mark.django_db
def test_a_covered_system_on_a_too_old_release_is_refused(tess, acme, make_system):
    old = make_system(acme, serial_number="CX-OLD", release="7.5")
    from contracts.services import contract_book

    contract_book(system=old, kind="plan", booked_on=date(2026, 1, 1), term_months=12)
    with pytest.raises(RuleViolation, match="must be upgraded first") as refused:
        open_case(tess, old)
    assert refused.value.code == "release_too_old"
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_rightfax_support_is_not_offered(tess, acme, make_system):
    fax = make_system(acme, serial_number="RF-1", product="RightFax", release="10.0")
    with pytest.raises(RuleViolation, match="RightFax support plans must be purchased separately"):
        open_case(tess, fax)


@pytest.mark.django_db
def test_a_normal_per_incident_case_after_hours_opens_only_for_the_next_opening(tess, uncovered):
    with pytest.raises(RuleViolation, match="Friday, Nov 27, 2026, 5:00 AM PST"):
        open_case(tess, uncovered, now=THURSDAY_1900_PST)
    case = open_case(tess, uncovered, now=THURSDAY_1900_PST, accept_next_opening=True)
    assert case.starts_at == at("2026-11-27T13:00:00Z")
    assert (case.business_hours, case.hourly_rate, case.deferred) == (True, Decimal("175.00"), True)
    body = Email.objects.get(kind="case-opened").body_text
    assert "support starts on it at the next business-hours\nopening" in body


@pytest.mark.django_db
def test_a_system_down_per_incident_case_after_hours_is_billed_at_the_after_hours_rate(
    tess, uncovered
):
    case = open_case(tess, uncovered, now=THURSDAY_1900_PST, severity="system_down")
    assert (case.business_hours, case.after_hours_callback) == (False, True)
    assert (case.hourly_rate, case.minimum_minutes) == (Decimal("260.00"), 120)


@pytest.mark.django_db
def test_a_holiday_staff_add_closes_business_hours(tess, uncovered, na_hours):
    Holiday.objects.create(business_hours=na_hours, date=date(2026, 11, 26), name="Thanksgiving")
    quote = selectors.quote_get(
        system=uncovered, started_at=THURSDAY_0630_PST, minutes=75, system_down=False
    )
    assert (quote.business_hours, quote.available) == (False, False)
    assert quote.next_business_hours_start == at("2026-11-27T13:00:00Z")


@pytest.mark.django_db
def test_a_technician_whose_certification_expired_cannot_open_a_case(ed, uncovered):
    with pytest.raises(RuleViolation, match="Only certified technicians") as refused:
        open_case(ed, uncovered, now=THURSDAY_0630_PST)
    assert refused.value.code == "not_certified"


@pytest.mark.django_db
def test_a_user_who_is_not_a_technician_cannot_open_a_case(alice, uncovered, support_defaults):
    with pytest.raises(RuleViolation, match="Only certified technicians"):
        open_case(alice, uncovered)


@pytest.mark.django_db
def test_closing_a_per_incident_case_bills_the_time_entered(tess, uncovered, olivia):
    case = open_case(tess, uncovered)
    time_entry_add(case=case, user=olivia, worked_on=date(2026, 11, 26), minutes=50)
    time_entry_add(case=case, user=olivia, worked_on=date(2026, 11, 27), minutes=45, note="fix")
    closed = case_close(
        case=case,
        user=olivia,
        resolution="Restarted the voice board.",
        now=at("2026-11-27T20:00:00Z"),
    )
    assert (closed.status, closed.minutes_worked, closed.billable_minutes, closed.amount) == (
        "closed",
        95,
        120,
        Decimal("350.00"),
    )
    assert selectors.case_bill(closed) == rules.Bill(95, 120, Decimal("175.00"), Decimal("350.00"))
    email = Email.objects.get(kind="case-closed")
    assert email.subject == f"Support case {case.number} closed: $350.00 billed"
    assert "Billable time   120 min" in email.body_text
    assert "Amount          $350.00" in email.body_text
    assert "  Nov 26, 2026  50 min\n  Nov 27, 2026  45 min  fix\n" in email.body_text


@pytest.mark.django_db
def test_a_closed_case_bills_at_the_rate_it_was_opened_at(tess, uncovered, olivia):
    case = open_case(tess, uncovered)
    Rate.objects.filter(hours="business").update(hourly_rate=Decimal("999.00"))
    time_entry_add(case=case, user=olivia, worked_on=date(2026, 11, 26), minutes=10)
    closed = case_close(case=case, user=olivia, resolution="Done.", now=THURSDAY_1900_PST)
    assert (closed.billable_minutes, closed.amount) == (60, Decimal("175.00"))


@pytest.mark.django_db
def test_an_xpresscare_case_closes_without_a_charge(tess, covered, olivia):
    case = open_case(tess, covered)
    time_entry_add(case=case, user=olivia, worked_on=date(2026, 11, 26), minutes=200)
    closed = case_close(case=case, user=olivia, resolution="Done.", now=THURSDAY_1900_PST)
    assert (closed.minutes_worked, closed.billable_minutes, closed.amount) == (200, None, None)
    assert selectors.case_bill(closed) is None
    assert "XpressCare case: no charge." in Email.objects.get(kind="case-closed").body_text


@pytest.mark.django_db
def test_a_closed_case_takes_no_more_time_and_closes_once(tess, uncovered, olivia):
    case = open_case(tess, uncovered)
    case_close(case=case, user=olivia, resolution="Done.", now=THURSDAY_1900_PST)
    with pytest.raises(RuleViolation, match="is closed: its bill is final"):
        time_entry_add(case=case, user=olivia, worked_on=date(2026, 11, 26), minutes=30)
    with pytest.raises(RuleViolation, match="already closed"):
        case_close(case=case, user=olivia, resolution="Again.", now=THURSDAY_1900_PST)
    assert not TimeEntry.objects.exists()
    assert Email.objects.filter(kind="case-closed").count() == 1


@pytest.mark.django_db
def test_an_open_case_shows_what_the_time_so_far_comes_to(tess, uncovered, olivia):
    case = open_case(tess, uncovered)
    assert selectors.case_bill(case).amount == Decimal("175.00")  # the minimum
    time_entry_add(case=case, user=olivia, worked_on=date(2026, 11, 26), minutes=61)
    assert selectors.case_bill(case) == rules.Bill(61, 90, Decimal("175.00"), Decimal("262.50"))


@pytest.mark.django_db
def test_the_e_mails_reach_the_technician_with_the_bill(tess, uncovered, olivia, smtp_server):
    case = open_case(tess, uncovered, now=THURSDAY_1900_PST, severity="system_down")
    time_entry_add(case=case, user=olivia, worked_on=date(2026, 11, 26), minutes=125)
    case_close(case=case, user=olivia, resolution="Replaced the disk.", now=SATURDAY_1000_PST)
    for email in Email.objects.order_by("pk"):
        email_send(email.pk)
    opened, closed = smtp_server.inbox.wait_for(2, timeout=5)
    assert opened["To"] == closed["To"] == "tess@reseller.example"
    assert opened["Subject"].startswith("[Emergency call-back]")
    text = closed.get_payload()[0].get_payload(decode=True).decode()
    html = closed.get_payload()[1].get_payload(decode=True).decode()
    assert "Billable time   150 min" in text and "Amount          $650.00" in text
    assert "<strong>$650.00</strong>" in html
    assert "Thursday" not in text  # dates in the reader's locale, not the rule's wording
    assert "/support/" in text


@pytest.mark.worker
def test_a_real_worker_e_mails_the_technician_when_a_case_opens(
    celery_worker, smtp_server, tess, covered
):
    open_case(tess, covered, now=SATURDAY_1000_PST, severity="system_down")  # commits: queued
    (message,) = smtp_server.inbox.wait_for(1)
    assert message["To"] == "tess@reseller.example"
    assert message["Subject"].startswith("[Emergency call-back] Support case SC-")
    assert Email.objects.get().status == Email.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_time_entered_while_the_case_is_being_closed_waits_and_is_refused(
    postgres, tess, uncovered, olivia
):
    import threading

    from django.db import connection, transaction

    case = open_case(tess, uncovered)
    outcome: dict = {}

    def enter_time() -> None:
        try:
            time_entry_add(case=case, user=olivia, worked_on=date(2026, 11, 26), minutes=30)
            outcome["result"] = "entered"
        except RuleViolation as refused:
            outcome["result"] = refused.message
        finally:
            connection.close()

    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)  # a close in progress holds the row
        entering = threading.Thread(target=enter_time)
        entering.start()
        entering.join(timeout=1)
        assert entering.is_alive()  # waiting for the lock, not writing beside the close
        case_close(case=case, user=olivia, resolution="Done.", now=THURSDAY_1900_PST)
    entering.join(timeout=10)
    assert outcome["result"] == f"Case {case.number} is closed: its bill is final."
    case.refresh_from_db()
    assert (case.minutes_worked, case.billable_minutes) == (0, 60)
