"""Back office: business hours, holidays and the rate card in admin; entering time and closing."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from contracts.models import Region
from incidents.models import BusinessHours, Case, Rate
from incidents.services import case_open, time_entry_add
from notifications.models import Email
from tests.factories import StaffFactory
from tests.incidents.conftest import at


@pytest.fixture
def root(db):
    return StaffFactory(username="root", is_superuser=True)


@pytest.fixture
def sam(db, support_defaults):
    """A member of the Support group (not a superuser)."""
    user = StaffFactory(username="sam")
    user.groups.add(Group.objects.get(name="Support"))
    return user


@pytest.fixture
def case(tess, uncovered):
    return case_open(
        user=tess,
        system=uncovered,
        severity="normal",
        summary="Voicemail does not answer",
        contact_phone="1",
        now=at("2026-11-26T14:30:00Z"),
    )


def hours_form(hours: BusinessHours, **changes) -> dict:
    form = {
        "region": hours.region_id,
        "time_zone": hours.region.time_zone,
        "opens_at": hours.opens_at.strftime("%H:%M"),
        "closes_at": hours.closes_at.strftime("%H:%M"),
        "holidays-TOTAL_FORMS": "0",
        "holidays-INITIAL_FORMS": "0",
    }
    form |= {day: "on" for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
    return {**form, **changes}


@pytest.mark.django_db
def test_the_migration_installs_the_business_hours_and_rate_card_of_the_spec(support_defaults):
    hours = {h.region.code: h for h in BusinessHours.objects.select_related("region")}
    assert (hours["NA"].opens_at, hours["NA"].closes_at, hours["NA"].region.time_zone) == (
        time(5),
        time(17),
        "America/Los_Angeles",
    )
    assert (hours["EMEA"].opens_at, hours["EMEA"].closes_at, hours["EMEA"].region.time_zone) == (
        time(8),
        time(17),
        "Etc/GMT",
    )
    assert {h.days_label for h in hours.values()} == {"Mon–Fri"}
    card = [
        (r.min_age_years, r.max_age_years, r.hours, r.hourly_rate, r.minimum_minutes)
        for r in Rate.objects.all()
    ]
    assert card == [
        (0, 2, "business", Decimal("150.00"), 60),
        (3, 4, "business", Decimal("175.00"), 60),
        (5, None, "business", Decimal("210.00"), 60),
        (0, 2, "after", Decimal("225.00"), 120),
        (3, 4, "after", Decimal("260.00"), 120),
        (5, None, "after", Decimal("315.00"), 120),
    ]


@pytest.mark.django_db
def test_staff_change_hours_zone_and_holidays_in_admin(client, root, na_hours):
    client.force_login(root)
    url = f"/admin/incidents/businesshours/{na_hours.pk}/change/"
    assert client.get(url).status_code == 200
    form = hours_form(
        na_hours,
        opens_at="06:00",
        time_zone="America/Denver",
        saturday="on",
        **{
            "holidays-TOTAL_FORMS": "1",
            "holidays-0-date": "2026-12-25",
            "holidays-0-name": "Christmas",
        },
    )
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    na_hours.refresh_from_db()
    assert (na_hours.opens_at, na_hours.saturday) == (time(6), True)
    assert Region.objects.get(code="NA").time_zone == "America/Denver"
    assert [str(h) for h in na_hours.holidays.all()] == ["2026-12-25 Christmas"]
    assert na_hours.history.first().history_user == root  # who changed what, when


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "is not a known time zone"),
        ({"opens_at": "18:00"}, "must close after they open"),
        (
            {day: "" for day in ("monday", "tuesday", "wednesday", "thursday", "friday")},
            "Choose at least one weekday",
        ),
    ],
)
def test_impossible_business_hours_are_refused(client, root, na_hours, changes, message):
    client.force_login(root)
    url = f"/admin/incidents/businesshours/{na_hours.pk}/change/"
    form = {k: v for k, v in hours_form(na_hours, **changes).items() if v != ""}
    response = client.post(url, form)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.django_db
def test_staff_edit_rates_in_the_rate_card_list(client, root, support_defaults):
    client.force_login(root)
    rates = list(Rate.objects.all())
    form = {
        "form-TOTAL_FORMS": str(len(rates)),
        "form-INITIAL_FORMS": str(len(rates)),
        "_save": "Save",
    }
    for number, rate in enumerate(rates):
        form[f"form-{number}-id"] = rate.pk
        form[f"form-{number}-hourly_rate"] = (
            "180.00" if rate.min_age_years == 3 else rate.hourly_rate
        )
        form[f"form-{number}-minimum_minutes"] = rate.minimum_minutes
    assert client.post("/admin/incidents/rate/", form).status_code == 302
    assert Rate.objects.get(hours="business", min_age_years=3).hourly_rate == Decimal("180.00")


@pytest.mark.django_db
def test_an_overlapping_age_band_or_odd_minimum_is_refused(client, root, support_defaults):
    client.force_login(root)
    overlap = {"hours": "business", "min_age_years": 4, "max_age_years": 6}
    overlap |= {"hourly_rate": "99.00", "minimum_minutes": 60}
    page = client.post("/admin/incidents/rate/add/", overlap).content.decode()
    assert "overlaps the business-hours row for 3–4 years" in page
    odd = {**overlap, "min_age_years": 9, "max_age_years": 12, "minimum_minutes": 45}
    page = client.post("/admin/incidents/rate/add/", odd).content.decode()
    assert "multiple of 30 minutes" in page
    assert Rate.objects.count() == 6


@pytest.mark.django_db
def test_support_staff_enter_time_and_close_a_case_with_its_bill(client, sam, case):
    client.force_login(sam)
    change = f"/admin/incidents/case/{case.pk}/change/"
    page = client.get(change).content.decode()
    assert "Enter time" in page and "Close case" in page
    time_url = f"/admin/incidents/case/{case.pk}/time/"
    for minutes in (60, 35):
        response = client.post(time_url, {"worked_on": "2026-11-26", "minutes": minutes})
        assert response.status_code == 302
    response = client.post(
        f"/admin/incidents/case/{case.pk}/close/", {"resolution": "Reset the board."}, follow=True
    )
    assert "closed: 120 billable minutes at $175.00/h = $350.00." in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.minutes_worked, case.amount) == ("closed", 95, Decimal("350.00"))
    assert case.closed_by == sam
    assert Email.objects.filter(kind="case-closed").count() == 1
    refused = client.post(time_url, {"worked_on": "2026-11-27", "minutes": 10})
    assert "is closed: its bill is final" in refused.content.decode()
    assert "Enter time" not in client.get(change).content.decode()


@pytest.mark.django_db
def test_staff_outside_the_support_group_cannot_close_cases(client, case):
    client.force_login(StaffFactory(username="order-desk"))
    response = client.post(f"/admin/incidents/case/{case.pk}/close/", {"resolution": "x"})
    assert response.status_code == 403
    assert Case.objects.get().is_open


@pytest.mark.django_db
def test_cases_are_found_by_number_serial_or_reseller(client, root, case):
    client.force_login(root)
    for term in (case.number, "CX-UNCOVERED", "Acme"):
        page = client.get("/admin/incidents/case/", {"q": term}).content.decode()
        assert f">{case.number}<" in page, term
    assert (
        f">{case.number}<"
        not in client.get("/admin/incidents/case/", {"q": "SC-999"}).content.decode()
    )


@pytest.mark.django_db
def test_every_support_admin_page_opens(client, root, case):
    client.force_login(root)
    time_entry_add(case=case, user=root, worked_on=date(2026, 11, 26), minutes=5)
    for model in ("businesshours", "rate", "case", "timeentry"):
        assert client.get(f"/admin/incidents/{model}/").status_code == 200, model
        assert client.get(f"/admin/incidents/{model}/", {"q": "x"}).status_code == 200, model
    assert client.get(f"/admin/incidents/case/{case.pk}/change/").status_code == 200
    assert client.get(f"/admin/incidents/case/{case.pk}/history/").status_code == 200
    assert client.get("/admin/incidents/rate/add/").status_code == 200
    assert client.get("/admin/incidents/case/add/").status_code == 403  # opened by technicians


@pytest.mark.django_db
def test_a_closed_case_is_shown_with_its_final_bill_and_cannot_be_saved(client, root, tess, case):
    from django.utils import timezone

    from incidents.services import case_close

    time_entry_add(case=case, user=root, worked_on=date(2026, 11, 26), minutes=95)
    case_close(case=case, user=root, resolution="Reset.", now=timezone.now())
    client.force_login(root)
    change = f"/admin/incidents/case/{case.pk}/change/"
    html = client.get(change).content.decode()
    assert "The bill, $350.00, is final." in html and "$175.00" in html
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert "Enter time" not in html
    assert client.post(change, {"amount": "1.00"}).status_code == 403
    listing = client.get("/admin/incidents/case/").content.decode()
    assert "$350.00" in listing


@pytest.mark.django_db
def test_an_emea_case_is_billed_in_pounds(client, root, bert, brightline, make_system):
    from django.utils import timezone

    from incidents.services import case_close

    system = make_system(brightline, serial_number="CX-UK", customer="Wayne")
    opened = case_open(
        user=bert,
        system=system,
        severity="normal",
        summary="No greeting",
        contact_phone="1",
        now=at("2026-11-26T10:30:00Z"),
    )
    time_entry_add(case=opened, user=root, worked_on=date(2026, 11, 26), minutes=30)
    closed = case_close(case=opened, user=root, resolution="Fixed.", now=timezone.now())
    email = Email.objects.get(kind="case-closed")
    assert email.subject == f"Support case {closed.number} closed: £175.00 billed"
    assert "£175.00 per hour" in email.body_text
    client.force_login(root)
    assert "£175.00" in client.get(f"/admin/incidents/case/{closed.pk}/change/").content.decode()
