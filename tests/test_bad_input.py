"""Hostile input is a 400 with a message (JSON under /api/), never a 500 (issue 16.4).

Each case here gave a server error once; tests/test_fuzz_lists.py throws such values at every
query parameter of every list.
"""

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Contract
from tests.contracts.test_import import GOOD, HEADER

pytestmark = pytest.mark.django_db

SYSTEMS_API = "/api/v1/systems/"
ORDERS_API = "/api/v1/orders/"


def assert_refused_with_json(response, field: str | None = None) -> dict:
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    if field is not None:
        assert field in body, body
    return body


@pytest.mark.parametrize(
    ("method", "url"), [("get", "/systems/%00/"), ("post", "/systems/%00/decision/")]
)
def test_a_nul_byte_in_a_serial_number_in_the_address_is_a_400(client, alice, method, url):
    client.force_login(alice)

    response = getattr(client, method)(url)

    assert response.status_code == 400
    assert "A serial number cannot contain a NUL character." in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/systems/%00/", "/api/v1/systems/%00/renewal-options/"])
def test_a_nul_byte_in_a_serial_number_in_an_api_address_names_no_system(api, alice, url):
    # DRF's lookup answers every serial number that names none of the caller's systems alike.
    response = api(alice).get(url)

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


@pytest.mark.parametrize("kind", ["plan_new", "upgrade_new", "no_charge_upgrade_new"])
def test_a_nul_byte_in_the_order_forms_serial_is_a_400(client, alice, kind):
    client.force_login(alice)

    response = client.get(reverse(f"renewals:{kind}"), {"serial": "CX\x00-1"})

    assert response.status_code == 400
    assert b"serial number" in response.content


def test_a_nul_byte_in_the_find_a_system_form_is_a_message(client, alice):
    client.force_login(alice)

    response = client.get(reverse("renewals:order_start"), {"serial": "\x00"})

    assert response.status_code in (200, 400)
    assert b"Null characters are not allowed" in response.content


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_a_renew_by_month_out_of_range_is_a_message_on_the_list_and_a_400_csv(client, alice, month):
    client.force_login(alice)

    page = client.get(reverse("contracts:list"), {"renew_by_month": month})
    export = client.get(reverse("contracts:export"), {"renew_by_month": month})

    # The list shows its filters' messages on a normal page, like every other bad filter.
    assert page.status_code == 200
    assert "Enter a month between 1900-01 and 2999-12." in page.content.decode()
    assert export.status_code == 400
    assert export.content.decode() == "renew_by_month: Enter a month between 1900-01 and 2999-12."


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
@pytest.mark.parametrize("name", ["renew_by_month", "ends_month"])
def test_a_month_out_of_range_is_a_json_400_in_the_api(api, alice, month, name):
    body = assert_refused_with_json(api(alice).get(SYSTEMS_API, {name: month}), name)

    assert "between" in body[name][0]


def _tampered(api, alice, acme, make_system, values) -> str:
    """A next cursor of the systems list whose position is replaced by `values`."""
    for n in range(3):
        make_system(acme, serial_number=f"CX-{n}")
    link = api(alice).get(SYSTEMS_API, {"page_size": 1}).json()["next"]
    token = parse_qs(urlsplit(link).query)["cursor"][0]
    payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    assert len(payload["v"]) == len(values)
    payload["v"] = values
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


@pytest.mark.parametrize(
    "values",
    [
        ["Globex", float("inf")],  # Infinity in the integer position
        ["Globex", float("nan")],
        ["Globex", 1e300],
        ["\ud800", 1],  # a lone surrogate cannot be encoded for the database
        ["Globex", "\ud800"],
        [["a"], 1],
    ],
)
def test_a_tampered_cursor_is_a_400_on_the_cursor(api, alice, acme, make_system, values):
    cursor = _tampered(api, alice, acme, make_system, values)

    assert_refused_with_json(api(alice).get(SYSTEMS_API, {"cursor": cursor}), "cursor")


def test_a_json_body_nested_2000_deep_is_a_400(api, alice):
    body = '{"a":' * 2000 + "1" + "}" * 2000

    response = api(alice).post(ORDERS_API, body, content_type="application/json")

    assert "nested" in json.dumps(assert_refused_with_json(response))


@pytest.mark.parametrize("depth", [33, 500, 100_000])
def test_a_json_body_deeper_than_32_levels_is_a_400(api, alice, depth):
    body = "[" * depth + "]" * depth

    response = api(alice).post(ORDERS_API, body, content_type="application/json")

    assert assert_refused_with_json(response) == {
        "non_field_errors": ["JSON nested more than 32 levels deep is not accepted."]
    }


@pytest.mark.parametrize("text", ['"\\ud800"', '"PO-\\udfff"'])
def test_a_lone_surrogate_in_a_json_body_is_a_400(api, alice, text):
    body = '{"kind": "plan", "po_number": ' + text + ', "lines": [{"serial_number": "CX-1"}]}'

    response = api(alice).post(ORDERS_API, body, content_type="application/json")

    assert "lone surrogate" in assert_refused_with_json(response)["non_field_errors"][0]


def test_unescaped_quotes_in_a_long_body_are_refused_quickly(api, alice):
    body = '"' + '\\"' * 200_000

    response = api(alice).post(ORDERS_API, body, content_type="application/json")

    assert_refused_with_json(response)


@pytest.mark.parametrize(
    "content",
    [
        "reseller_account\n".encode("utf-16"),
        b"\xff\xfe\xfareseller_account\n",
    ],
)
def test_an_import_file_that_is_not_utf8_text_is_a_message_on_the_form(client, olivia, content):
    client.force_login(olivia)
    upload = SimpleUploadedFile("import.csv", content, content_type="text/csv")

    response = client.post(reverse("admin:contracts_import"), {"file": upload})

    assert response.status_code == 200  # the admin form again, with its message
    assert "The file is not UTF-8 text" in response.content.decode()


def test_an_import_file_with_a_nul_character_names_its_line(client, olivia):
    client.force_login(olivia)
    rows = [HEADER, GOOD[0], GOOD[1].replace("PO-2", "PO\x00-2")]
    upload = SimpleUploadedFile("import.csv", "\n".join(rows).encode(), content_type="text/csv")

    response = client.post(reverse("admin:contracts_import"), {"file": upload})

    assert response.status_code == 200
    assert "line 3: a NUL character" in response.content.decode()
    assert not Contract.objects.exists()  # all or nothing


def test_the_schema_declares_the_months_and_the_cursors_form(client):
    schema = client.get("/api/schema/?format=json").json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"][SYSTEMS_API]["get"]["parameters"]}

    assert parameters["renew_by_month"]["pattern"] == r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"
    assert parameters["ends_month"]["pattern"] == parameters["renew_by_month"]["pattern"]
    assert parameters["cursor"] == {
        "type": "string",
        "pattern": "^[A-Za-z0-9_-]*$",
        "maxLength": 2000,
    }
    quote = schema["components"]["schemas"]["QuoteRequestRequest"]["properties"]["started_at"]
    assert "1900-01-01 to 2999-12-31" in quote["description"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_booking_date_outside_the_calendar_is_a_message_in_admin(
    client, olivia, acme, make_system, day
):
    system = make_system(acme, serial_number="CX-9")
    client.force_login(olivia)
    form = {"system": system.pk, "kind": "plan", "booked_on": day, "term_months": 12}

    response = client.post(reverse("admin:contracts_contract_add"), form)

    assert response.status_code == 200
    assert "Enter a date between 1900-01-01 and 2999-12-31." in response.content.decode()
    assert not Contract.objects.exists()


def test_an_imported_date_outside_the_calendar_names_its_line(client, olivia):
    client.force_login(olivia)
    rows = [HEADER, GOOD[0].replace("2025-01-01", "9999-12-31")]
    upload = SimpleUploadedFile("import.csv", "\n".join(rows).encode(), content_type="text/csv")

    response = client.post(reverse("admin:contracts_import"), {"file": upload})

    assert "line 2: booked_on “9999-12-31”: enter a date between" in response.content.decode()
