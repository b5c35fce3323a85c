"""GET /api/v1/renewals/due/: exactly the rows of the monthly e-mail for a date (SPEC §6.2)."""

import pytest
from rest_framework.test import APIClient

from renewals.services.digests import digest_send
from tests.notifications.conftest import JUNE_1

URL = "/api/v1/renewals/due/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_a_reseller_user_gets_the_rows_of_the_e_mail(alice, make_due):
    first, second = make_due(alice.reseller, 2, um_clients=60)
    response = api(alice).get(URL, {"on": "2026-06-01"})
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "serial_number": first.serial_number,
                "customer": "Globex",
                "product": "CallXpress",
                "coverage_ends_on": "2026-05-22",
                "renew_by": "2026-06-21",
                "section": "expired",
                "requires_um_coverage": True,
                "requires_tts_coverage": False,
            },
            {
                "serial_number": second.serial_number,
                "customer": "Globex",
                "product": "CallXpress",
                "coverage_ends_on": "2026-06-21",
                "renew_by": "2026-07-21",
                "section": "due",
                "requires_um_coverage": True,
                "requires_tts_coverage": False,
            },
        ]
    }
    run, _ = digest_send(reseller_id=alice.reseller_id, on=JUNE_1)
    assert (run.expired, run.due) == (1, 1)  # the e-mail lists the same two


@pytest.mark.django_db
def test_staff_name_the_reseller(olivia, alice, bob, make_due):
    make_due(bob.reseller, 1)
    response = api(olivia).get(URL, {"on": "2026-06-01"})
    assert response.status_code == 400
    assert response.json() == {
        "reseller": ["Name the reseller: add reseller=ACCOUNT (e.g. R-1001)."]
    }
    response = api(olivia).get(URL, {"on": "2026-06-01", "reseller": "R-2001"})
    assert [row["section"] for row in response.json()["results"]] == ["expired"]
    assert api(olivia).get(URL, {"reseller": "R-404"}).status_code == 404


@pytest.mark.django_db
def test_another_resellers_list_is_a_404_like_a_missing_one(alice, bob, make_due):
    make_due(bob.reseller, 1)
    assert api(alice).get(URL, {"reseller": "R-2001"}).status_code == 404
    assert api(alice).get(URL, {"reseller": "R-404"}).status_code == 404
    assert api(alice).get(URL, {"reseller": "R-1001"}).status_code == 200


@pytest.mark.django_db
def test_without_contracts_access_it_is_forbidden_and_anonymous_is_refused(carol):
    assert api(carol).get(URL).status_code == 403
    assert api().get(URL).status_code in (401, 403)


@pytest.mark.django_db
def test_a_wrong_date_is_a_400_with_a_message(alice):
    response = api(alice).get(URL, {"on": "2026-13-01"})
    assert response.status_code == 400
    assert list(response.json()) == ["on"]


@pytest.mark.django_db
def test_the_date_defaults_to_the_resellers_today(alice):
    response = api(alice).get(URL)
    assert response.status_code == 200
    assert response.json() == {"results": []}


@pytest.mark.django_db
def test_the_endpoint_is_in_the_openapi_schema(client, alice):
    client.force_login(alice)
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/renewals/due/" in schema


@pytest.mark.django_db
def test_an_empty_reseller_is_a_400_not_the_callers_own(alice):
    response = api(alice).get(URL, {"reseller": ""})
    assert response.status_code == 400
    assert list(response.json()) == ["reseller"]
