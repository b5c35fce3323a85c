"""Who may call the API: token and session logins, anonymous callers, throttling per user."""

import io

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.test import APIClient

from partnerxpress.core.api import HasContractsAccess, api_exception_handler
from partnerxpress.core.errors import RuleViolation

pytestmark = pytest.mark.django_db

SYSTEMS = "/api/v1/systems/"


def test_a_token_made_by_drf_create_token_logs_the_user_in(alice, cx1):
    out = io.StringIO()
    call_command("drf_create_token", "alice", stdout=out)
    key = out.getvalue().split()[2]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get(SYSTEMS)

    assert response.status_code == 200
    assert [row["serial_number"] for row in response.json()["results"]] == ["CX-1"]


def test_an_anonymous_caller_gets_401_asking_for_a_token(api, cx1):
    response = api().get(SYSTEMS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_a_wrong_token_is_401(cx1):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")

    response = client.get(SYSTEMS)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_the_portal_session_works_and_writes_need_its_csrf_token(alice, cx1):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)

    read = client.get(SYSTEMS)
    write = client.post(SYSTEMS, {})

    assert read.status_code == 200
    assert write.status_code == 403
    assert "CSRF" in write.json()["detail"]


def test_a_user_without_contracts_access_is_told_why(api, carol):
    response = api(carol).get(SYSTEMS)

    assert response.status_code == 403
    assert response.json() == {"detail": HasContractsAccess.message}


def test_each_user_has_an_own_request_budget(api, alice, bob, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/minute"},
    }
    client = api(alice)

    with time_machine.travel("2026-12-02 10:00:30Z", tick=False):  # within one minute's budget
        statuses = [client.get(SYSTEMS).status_code for _ in range(4)]
        throttled = client.get(SYSTEMS)

    assert statuses == [200, 200, 200, 429]
    assert int(throttled["Retry-After"]) > 0
    assert throttled.json()["detail"].startswith("Request was throttled.")
    assert api(bob).get(SYSTEMS).status_code == 200


def test_a_users_budget_is_one_counter_however_many_requests_it_made(api, alice, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1000/hour"},
    }
    client = api(alice)

    with time_machine.travel("2026-12-02 10:00:30Z", tick=False):
        for _ in range(5):
            client.get("/api/v1/bulletins/")

        # not DRF's list of every request's time, read and written whole on each request;
        # read at the same instant, or the entry has expired by the real clock
        assert cache.get(f"budget:throttle_user_{alice.pk}:{1_796_205_630 // 3600}") == 5


def test_an_unknown_api_address_is_a_json_404(api, alice):
    response = api(alice).get("/api/v1/no-such-collection/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_write_to_a_read_only_collection_is_405(api, alice):
    response = api(alice).delete(SYSTEMS)

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ParseError("JSON parse error"), {"non_field_errors": ["JSON parse error"]}),
        (ValidationError("Pick one."), {"non_field_errors": ["Pick one."]}),
        (ValidationError({"term_months": ["Too long."]}), {"term_months": ["Too long."]}),
        (
            RuleViolation("renewal_too_late", "Coverage ended.", "serial_number"),
            {"serial_number": ["Coverage ended."]},
        ),
        (RuleViolation("overlap", "It overlaps."), {"non_field_errors": ["It overlaps."]}),
    ],
)
def test_every_400_is_an_object_of_messages_per_field(error, expected):
    response = api_exception_handler(error, {})

    assert response.status_code == 400
    assert response.data == expected
