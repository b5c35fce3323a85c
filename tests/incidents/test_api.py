"""/api/v1/incidents/: the quote of SPEC §6.2, and listing, reading and opening cases."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from incidents.models import Case
from incidents.services import case_open, time_entry_add
from tests.incidents.conftest import at

QUOTE_URL = "/api/v1/incidents/quote/"
EXAMPLE = {
    "serial_number": "CX-UNCOVERED",
    "started_at": "2026-11-26T14:30:00Z",
    "minutes": 75,
    "system_down": False,
}


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


@pytest.mark.django_db
def test_the_quote_example_of_the_spec(api, tess, uncovered):
    response = as_user(api, tess).post(QUOTE_URL, EXAMPLE, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "billable": True,
        "reason": None,
        "business_hours": True,
        "available": True,
        "next_business_hours_start": None,
        "age_years": 4,
        "hourly_rate": "175.00",
        "minimum_minutes": 60,
        "billable_minutes": 90,
        "amount": "262.50",
    }


@pytest.mark.django_db
def test_a_quote_with_a_token_as_another_program_would_ask(api, tess, uncovered):
    token = Token.objects.create(user=tess)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(QUOTE_URL, EXAMPLE, format="json")
    assert (response.status_code, response.json()["amount"]) == (200, "262.50")


@pytest.mark.django_db
def test_a_normal_quote_after_hours_is_unavailable_with_the_next_opening_in_local_time(
    api, tess, uncovered
):
    asked = {**EXAMPLE, "started_at": "2026-11-28T18:00:00Z", "minutes": 61}  # Saturday
    body = as_user(api, tess).post(QUOTE_URL, asked, format="json").json()
    assert (body["billable"], body["business_hours"], body["available"]) == (True, False, False)
    assert body["next_business_hours_start"] == "2026-11-30T05:00:00-08:00"
    assert (body["hourly_rate"], body["billable_minutes"], body["amount"]) == (
        "175.00",
        90,
        "262.50",
    )


@pytest.mark.django_db
def test_a_system_down_quote_after_hours_is_priced_at_the_after_hours_rate(api, tess, uncovered):
    asked = {**EXAMPLE, "started_at": "2026-11-28T18:00:00Z", "system_down": True}
    body = as_user(api, tess).post(QUOTE_URL, asked, format="json").json()
    assert (body["business_hours"], body["available"], body["next_business_hours_start"]) == (
        False,
        True,
        None,
    )
    assert (body["hourly_rate"], body["minimum_minutes"], body["billable_minutes"]) == (
        "260.00",
        120,
        120,
    )
    assert body["amount"] == "520.00"


@pytest.mark.django_db
def test_a_covered_system_is_not_billable_with_a_reason(api, tess, covered):
    asked = {**EXAMPLE, "serial_number": "CX-COVERED"}
    body = as_user(api, tess).post(QUOTE_URL, asked, format="json").json()
    assert body["billable"] is False
    assert body["reason"] == (
        "This system is covered by XpressCare on Nov 26, 2026: support is included at no charge."
    )
    assert [body[key] for key in ("age_years", "hourly_rate", "billable_minutes", "amount")] == [
        None
    ] * 4


@pytest.mark.django_db
def test_a_rightfax_system_is_not_billable(api, tess, acme, make_system):
    make_system(acme, serial_number="RF-1", product="RightFax", release="10.0")
    body = as_user(api, tess).post(QUOTE_URL, {**EXAMPLE, "serial_number": "RF-1"}).json()
    assert body["billable"] is False
    assert "RightFax support plans must be purchased separately" in body["reason"]


@pytest.mark.django_db
def test_another_resellers_system_answers_404_like_a_missing_one(api, bert, uncovered):
    api = as_user(api, bert)
    assert api.post(QUOTE_URL, EXAMPLE, format="json").status_code == 404
    missing = api.post(QUOTE_URL, {**EXAMPLE, "serial_number": "NOPE"}, format="json")
    assert missing.status_code == 404


@pytest.mark.django_db
def test_bad_input_is_a_400_with_a_message_per_field(api, tess, uncovered):
    bad = {"serial_number": "CX-UNCOVERED", "started_at": "tomorrow", "minutes": -5}
    response = as_user(api, tess).post(QUOTE_URL, bad, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"started_at", "minutes"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "started_at", ["9999-12-31T00:00:00Z", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00Z"]
)
def test_a_start_outside_the_years_of_the_calendar_is_a_400(api, tess, uncovered, started_at):
    response = as_user(api, tess).post(
        QUOTE_URL, {**EXAMPLE, "started_at": started_at}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"started_at": ["Enter a date between 1900-01-01 and 2999-12-31."]}


@pytest.mark.django_db
def test_a_system_without_installation_date_cannot_be_priced(api, tess, acme, make_system):
    make_system(acme, serial_number="CX-NODATE", installed_on=None)
    response = as_user(api, tess).post(QUOTE_URL, {**EXAMPLE, "serial_number": "CX-NODATE"})
    assert response.status_code == 400
    assert "installation date is not on record" in response.json()["serial_number"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [QUOTE_URL, "/api/v1/incidents/"])
def test_only_certified_technicians_use_the_incidents_endpoints(api, url, alice, ed, tess):
    assert api.post(url, EXAMPLE, format="json").status_code in (401, 403)
    assert api.get("/api/v1/incidents/").status_code in (401, 403)
    for refused in (alice, ed):  # contracts access is not enough; an expired certification neither
        response = as_user(api, refused).post(url, EXAMPLE, format="json")
        assert response.status_code == 403
        assert "certified technicians" in response.json()["detail"]


@pytest.mark.django_db
def test_a_technician_opens_a_case_through_the_api(api, tess, covered):
    response = as_user(api, tess).post(
        "/api/v1/incidents/",
        {
            "serial_number": "CX-COVERED",
            "severity": "system_down",
            "summary": "No dial tone",
            "contact_phone": "+1 206 555 0100",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["status"], body["serial_number"], body["opened_by"]) == (
        "xpresscare",
        "open",
        "CX-COVERED",
        "tess",
    )
    assert body["number"] == Case.objects.get().number
    assert body["hourly_rate"] is None and body["time_entries"] == []


@pytest.mark.django_db
def test_opening_a_case_that_a_rule_refuses_is_a_400_per_field(api, tess, acme, make_system):
    make_system(acme, serial_number="RF-1", product="RightFax", release="10.0")
    response = as_user(api, tess).post(
        "/api/v1/incidents/",
        {"serial_number": "RF-1", "severity": "normal", "summary": "x", "contact_phone": "1"},
        format="json",
    )
    assert response.status_code == 400
    assert "RightFax" in response.json()["serial_number"][0]
    assert not Case.objects.exists()


def open_cases(user, system, count):
    for number in range(count):
        case_open(
            user=user,
            system=system,
            severity="normal",
            summary=f"Case {number}",
            contact_phone="1",
            now=at("2026-11-26T14:30:00Z") + timedelta(minutes=number),
        )


@pytest.mark.django_db
def test_each_technician_lists_and_reads_only_their_resellers_cases(
    api, tess, bert, uncovered, make_system, brightline
):
    open_cases(tess, uncovered, 2)
    open_cases(bert, make_system(brightline, serial_number="CX-EMEA"), 1)
    listed = as_user(api, tess).get("/api/v1/incidents/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["summary"] for row in rows] == ["Case 1", "Case 0"]  # newest first
    theirs = Case.objects.get(system__serial_number="CX-EMEA")
    assert api.get(f"/api/v1/incidents/{theirs.pk}/").status_code == 404
    mine = Case.objects.filter(reseller=tess.reseller).first()
    assert api.get(f"/api/v1/incidents/{mine.pk}/").json()["serial_number"] == "CX-UNCOVERED"
    filtered = api.get("/api/v1/incidents/", {"q": "Case 0"}).json()
    rows = filtered["results"] if isinstance(filtered, dict) else filtered
    assert [row["summary"] for row in rows] == ["Case 0"]


@pytest.mark.django_db
def test_the_case_list_takes_as_many_queries_for_10_cases_as_for_30(api, tess, uncovered, olivia):
    api = as_user(api, tess)

    def list_queries() -> int:
        for case in Case.objects.filter(time_entries__isnull=True):
            time_entry_add(case=case, user=olivia, worked_on=date(2026, 11, 26), minutes=5)
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/incidents/").status_code == 200
        return len(captured)

    open_cases(tess, uncovered, 10)
    with_10 = list_queries()
    open_cases(tess, uncovered, 20)
    assert list_queries() == with_10
