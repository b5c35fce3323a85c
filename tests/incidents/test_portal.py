"""The Support pages: the case list, the quote and open-case form, a case with its bill."""

from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from contracts.rules import entitlement_on
from contracts.selectors import system_facts_load
from incidents.models import Case
from incidents.selectors import system_support
from incidents.services import case_close, case_open, time_entry_add
from notifications.models import Email
from partnerxpress.core.tenancy import user_today
from tests.incidents.conftest import at

NEW = "/support/new/"


def quote_form(serial="CX-UNCOVERED", severity="normal", minutes=75, **more):
    return {
        "serial_number": serial,
        "severity": severity,
        "estimated_minutes": minutes,
        "summary": "Voicemail does not answer",
        "contact_phone": "+1 206 555 0100",
        "action": "quote",
        **more,
    }


def html(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_support_is_in_the_menu_at_support(client, tess):
    client.force_login(tess)
    response = client.get(reverse("incidents:cases"))
    assert reverse("incidents:cases") == "/support/"
    assert response.status_code == 200
    assert '<a href="/support/" aria-current="page">Support</a>' in html(response)
    words = " ".join(html(response).split())
    assert "Business hours:</strong> Mon–Fri, 05:00–17:00 (America/Los_Angeles)." in words


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/support/", NEW])
def test_users_who_are_not_certified_technicians_get_a_page_that_says_why(client, alice, ed, url):
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 403
    assert "Support cases are opened by certified technicians" in html(response)
    assert "olivia@avst.example" in html(response)  # their sales representative
    client.force_login(ed)
    assert "Your technician certification expired on" in html(client.get(url))


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/support/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_a_quote_comes_before_the_case_can_be_opened(
    uncovered_is_4_years_old, client, tess, uncovered, always_open
):
    client.force_login(tess)
    blank = client.get(NEW, {"system": "CX-UNCOVERED"})
    assert 'value="CX-UNCOVERED"' in html(blank)
    assert "Get a quote first." in html(blank)
    quoted = client.post(NEW, quote_form())
    page = html(quoted)
    assert "Per-incident case" in page
    assert "<dd>4 years (installed" in page
    assert "<dd>$175.00/h</dd>" in page
    assert "1 h 15 min → billed 1 h 30 min" in page
    assert '<dd class="quote__amount">$262.50</dd>' in page
    assert 'name="quoted_hourly_rate" value="175.00"' in page
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_technician_opens_the_quoted_case(
    uncovered_is_4_years_old, client, tess, uncovered, always_open
):
    client.force_login(tess)
    form = quote_form(action="open", quoted_kind="per_incident", quoted_hourly_rate="175.00")
    response = client.post(NEW, form, follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == f"/support/{case.pk}/"
    assert f"Case {case.number} is open" in html(response)
    assert (case.kind, case.hourly_rate, case.opened_by) == (
        "per_incident",
        Decimal("175.00"),
        tess,
    )
    assert Email.objects.filter(kind="case-opened", to=tess.email).count() == 1


@pytest.mark.django_db
def test_opening_without_a_quote_is_refused(client, tess, uncovered, always_open):
    client.force_login(tess)
    response = client.post(NEW, quote_form(action="open"))
    assert "Get a quote before opening the case." in html(response)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_changed_price_since_the_quote_opens_nothing_and_shows_the_new_quote(
    uncovered_is_4_years_old, client, tess, uncovered, always_open
):
    client.force_login(tess)
    form = quote_form(action="open", quoted_kind="per_incident", quoted_hourly_rate="150.00")
    response = client.post(NEW, form)
    assert "The terms have changed since your quote" in html(response)
    assert 'name="quoted_hourly_rate" value="175.00"' in html(response)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_after_hours_a_normal_per_incident_case_is_offered_the_next_opening(
    uncovered_is_4_years_old, client, tess, uncovered, closed_today
):
    client.force_login(tess)
    quoted = html(client.post(NEW, quote_form()))
    assert "outside them per-incident support is only for a system that is down" in quoted
    assert 'name="accept_next_opening"' in quoted
    form = quote_form(action="open", quoted_kind="per_incident", quoted_hourly_rate="175.00")
    refused = html(client.post(NEW, form))
    assert "accept it to open the case for then" in refused
    assert not Case.objects.exists()
    client.post(NEW, {**form, "accept_next_opening": "on"})
    case = Case.objects.get()
    assert case.deferred and case.business_hours and not case.after_hours_callback
    page = html(client.get(f"/support/{case.pk}/"))
    assert "Opened outside business hours: support starts on the case at" in page


@pytest.mark.django_db
def test_a_system_down_xpresscare_case_after_hours_shows_the_emergency_call_back(
    client, tess, covered, closed_today
):
    client.force_login(tess)
    quoted = html(client.post(NEW, quote_form("CX-COVERED", "system_down")))
    assert "XpressCare case" in quoted and "No charge." in quoted
    assert "Emergency after-hours call-back:" in quoted
    form = quote_form("CX-COVERED", "system_down", action="open", quoted_kind="xpresscare")
    case_page = html(client.post(NEW, form, follow=True))
    assert "Emergency after-hours call-back:" in case_page
    assert "an AVST engineer calls +1 206 555 0100" in case_page
    assert "[Emergency call-back]" in Email.objects.get(kind="case-opened").subject


@pytest.mark.django_db
def test_a_too_old_release_gets_no_open_button_and_says_upgrade_first(
    client, tess, acme, make_system, always_open, pacific_still_yesterday
):
    from contracts.services import contract_book

    old = make_system(acme, serial_number="CX-OLD", release="7.5")
    contract_book(system=old, kind="plan", booked_on=user_today(tess), term_months=12)
    client.force_login(tess)
    page = html(client.post(NEW, quote_form("CX-OLD")))
    assert "No case can be opened for this system." in page
    assert "must be upgraded first" in page
    assert 'value="open"' not in page


@pytest.mark.django_db
def test_another_resellers_serial_number_is_unknown_on_the_form(client, bert, uncovered):
    client.force_login(bert)
    page = html(client.post(NEW, quote_form()))
    assert "None of your customers&#x27; systems has the serial number “CX-UNCOVERED”." in page


@pytest.mark.django_db
def test_a_closed_case_shows_its_time_entries_and_bill(client, tess, uncovered, olivia):
    case = case_open(
        user=tess,
        system=uncovered,
        severity="normal",
        summary="Voicemail does not answer",
        contact_phone="1",
        now=at("2026-11-26T14:30:00Z"),
    )
    time_entry_add(case=case, user=olivia, worked_on=date(2026, 11, 26), minutes=61, note="Call")
    case_close(case=case, user=olivia, resolution="Fixed.", now=at("2026-11-26T20:00:00Z"))
    client.force_login(tess)
    page = html(client.get(f"/support/{case.pk}/"))
    assert '<h2 id="bill-title">Bill</h2>' in page
    assert '<td class="num">61 min</td>' in page
    assert '<td class="num">90 min <span class="muted">' in page
    assert (
        '<td class="num">$175.00/h <span class="muted">(business hours, system 4 years old)' in page
    )
    assert '<tr class="bill__total"><th scope="row">Amount</th><td class="num">$262.50</td>' in page
    assert "<td>Call</td>" in page
    listing = html(client.get("/support/"))
    assert case.number in listing and "$262.50" in listing


@pytest.mark.django_db
def test_another_resellers_case_answers_404(client, tess, bert, uncovered):
    case = case_open(
        user=tess,
        system=uncovered,
        severity="system_down",
        summary="Down",
        contact_phone="1",
        now=at("2026-11-26T14:30:00Z"),
    )
    client.force_login(bert)
    assert client.get(f"/support/{case.pk}/").status_code == 404
    assert client.get("/support/99999/").status_code == 404
    assert case.number not in html(client.get("/support/"))


@pytest.mark.django_db
def test_the_case_list_filters_by_status(client, tess, uncovered, covered, olivia):
    for system in (uncovered, covered):
        case_open(
            user=tess,
            system=system,
            severity="normal",
            summary=f"About {system}",
            contact_phone="1",
            now=at("2026-11-26T14:30:00Z"),
        )
    case_close(
        case=Case.objects.get(system=covered), user=olivia, resolution="x", now=timezone.now()
    )
    client.force_login(tess)
    page = html(client.get("/support/", {"status": "open"}))
    assert "About CX-UNCOVERED" in page and "About CX-COVERED" not in page


@pytest.mark.django_db
def test_the_system_page_partial_lists_open_cases_and_offers_a_case_to_technicians(
    rf, tess, alice, uncovered
):
    case = case_open(
        user=tess,
        system=uncovered,
        severity="system_down",
        summary="No dial tone",
        contact_phone="1",
        now=at("2026-11-28T18:00:00Z"),
    )
    today = date(2026, 11, 28)
    entitlement = entitlement_on(system_facts_load(uncovered), today)
    context = {"system": uncovered, "today": today}
    support = system_support(tess, uncovered, entitlement, today)
    partial = render_to_string("incidents/_system_cases.html", {**context, "support": support})
    assert f'href="/support/{case.pk}/">{case.number}</a> No dial tone' in partial
    assert "Emergency call-back" in partial
    assert 'href="/support/new/?system=CX-UNCOVERED">Open a case</a>' in partial
    assert "billed per incident" in partial
    support = system_support(alice, uncovered, entitlement, today)
    for_alice = render_to_string("incidents/_system_cases.html", {**context, "support": support})
    assert for_alice.strip() == ""  # not a technician: nothing to offer


@pytest.mark.django_db
def test_the_case_list_page_takes_as_many_queries_for_10_cases_as_for_30(
    client, tess, uncovered, covered
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(tess)

    def open_cases(count: int) -> None:
        for number in range(count):
            case_open(
                user=tess,
                system=(uncovered, covered)[number % 2],
                severity="normal",
                summary=f"Case {number}",
                contact_phone="1",
                now=at("2026-11-26T14:30:00Z"),
            )

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/support/").status_code == 200
        return len(captured)

    open_cases(10)
    with_10 = page_queries()
    open_cases(15)  # 25 rows: one full page
    assert page_queries() == with_10
