"""Keyset pagination of every API list: no repeats, no gaps, same query count at any depth."""

import base64
import json
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from contracts.filters import SystemFilter
from contracts.models import Customer, System
from contracts.selectors import system_list
from partnerxpress.core.tenancy import user_today
from tests.factories import ResellerFactory

pytestmark = pytest.mark.django_db

SYSTEMS = "/api/v1/systems/"


def walk(client, url: str, params: dict | None = None, *, link: str = "next") -> list[dict]:
    """Every row of a list, following `next` (or `previous`) links from `url`."""
    rows, pages = [], 0
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.json()
        body = response.json()
        page = body["results"] if link == "next" else list(reversed(body["results"]))
        rows += page
        pages += 1
        assert pages < 1000, "the links never end"
        if body[link] is None:
            return rows
        response = client.get(body[link])


def cursor_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["cursor"][0]


def portal_order(user, params: dict) -> list[str]:
    request = RequestFactory().get("/contracts/", params)
    request.user = user
    systems = SystemFilter(request.GET, queryset=system_list(user), request=request).qs
    return list(systems.values_list("serial_number", flat=True))


@pytest.fixture
def two_thousand_ending_on_new_years_eve(acme, bulk_systems):
    """2,000 systems end on 2026-12-31; 40 never covered (no end date); 40 end on other dates."""
    bulk_systems(acme, 2000, ends_on=date(2026, 12, 31), prefix="TIE")
    bulk_systems(acme, 40, ends_on=None, prefix="NUL")
    for month in range(1, 11):
        bulk_systems(acme, 4, ends_on=date(2026, month, 28), prefix=f"M{month:02d}")


@pytest.mark.parametrize("sort", ["expiry", "-expiry", "customer", "serial", None])
def test_walking_next_links_gives_every_row_once_in_the_portals_order(
    api, alice, two_thousand_ending_on_new_years_eve, sort
):
    params = {"page_size": 150} | ({"sort": sort} if sort else {})

    rows = walk(api(alice), SYSTEMS, params)

    serials = [row["serial_number"] for row in rows]
    assert len(serials) == len(set(serials)) == 2080
    assert serials == portal_order(alice, {"sort": sort} if sort else {})


def test_latest_expiry_first_lists_the_systems_without_an_end_last(
    api, alice, two_thousand_ending_on_new_years_eve
):
    rows = walk(api(alice), SYSTEMS, {"sort": "-expiry", "page_size": 150})

    serials = [row["serial_number"] for row in rows]
    assert all(serial.startswith("TIE") for serial in serials[:2000])
    assert all(serial.startswith("NUL") for serial in serials[-40:])


@pytest.mark.parametrize("sort", ["expiry", "-expiry"])
def test_walking_previous_links_back_from_the_end_gives_the_same_rows(
    api, alice, two_thousand_ending_on_new_years_eve, sort
):
    client = api(alice)
    forward = walk(client, SYSTEMS, {"sort": sort, "page_size": 200})
    last_page = client.get(SYSTEMS, {"sort": sort, "page_size": 200})
    while last_page.json()["next"]:
        last_page = client.get(last_page.json()["next"])
    tail = list(reversed(last_page.json()["results"]))

    backward = tail + walk(client, last_page.json()["previous"], link="previous")

    assert [r["serial_number"] for r in reversed(backward)] == [r["serial_number"] for r in forward]


def test_the_first_page_has_no_previous_and_the_last_no_next(api, alice, bulk_systems, acme):
    bulk_systems(acme, 5)

    first = api(alice).get(SYSTEMS, {"page_size": 3}).json()
    last = api(alice).get(first["next"]).json()

    assert first["previous"] is None and first["next"].startswith("http://testserver/api/v1/")
    assert len(last["results"]) == 2 and last["next"] is None and last["previous"] is not None
    assert api(alice).get(last["previous"]).json()["results"] == first["results"]


def test_rows_added_while_paging_neither_repeat_nor_shift_the_next_page(
    api, alice, acme, bulk_systems
):
    bulk_systems(acme, 30, prefix="OLD")
    client = api(alice)
    first = client.get(SYSTEMS, {"sort": "serial", "page_size": 10}).json()

    bulk_systems(acme, 5, prefix="AAA")  # sorts before every row already seen
    second = client.get(first["next"]).json()

    assert second["results"][0]["serial_number"] > first["results"][-1]["serial_number"]
    assert not {r["serial_number"] for r in first["results"]} & {
        r["serial_number"] for r in second["results"]
    }


def test_filters_and_pages_combine(
    api, alice, acme, bulk_systems, two_thousand_ending_on_new_years_eve
):
    rows = walk(api(alice), SYSTEMS, {"q": "NUL", "page_size": 7})

    assert len(rows) == 40 and {row["status"] for row in rows} == {"never"}


def test_a_cursor_of_another_sort_order_is_refused(api, alice, acme, bulk_systems):
    bulk_systems(acme, 5)
    next_link = api(alice).get(SYSTEMS, {"sort": "expiry", "page_size": 2}).json()["next"]
    cursor = cursor_of(next_link)

    response = api(alice).get(SYSTEMS, {"sort": "customer", "cursor": cursor})

    assert response.status_code == 400
    assert response.json() == {
        "cursor": ["This cursor belongs to another sort order: start again from the first page."]
    }


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        "eyJrIjoiMTIzIn0",  # {"k":"123"}: no values
        "bm90IGpzb24",  # "not json"
        "eyJrIjoieCIsInYiOlsxLDIsM119",  # wrong number of values
    ],
)
def test_a_damaged_cursor_is_a_400_on_the_cursor_field(api, alice, acme, bulk_systems, cursor):
    bulk_systems(acme, 3)

    response = api(alice).get(SYSTEMS, {"cursor": cursor})

    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_a_cursor_with_values_the_column_cannot_hold_is_a_400(api, alice, acme, bulk_systems):
    bulk_systems(acme, 5)
    link = api(alice).get(SYSTEMS, {"sort": "expiry", "page_size": 2}).json()["next"]
    token = cursor_of(link)
    payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    payload["v"][0] = "2026-02-31"
    bad = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()

    response = api(alice).get(SYSTEMS, {"sort": "expiry", "cursor": bad})

    assert response.status_code == 400 and list(response.json()) == ["cursor"]


def test_staff_page_through_customers_of_the_same_name_at_every_reseller(api, olivia, bulk_systems):
    for n in range(30):
        reseller = ResellerFactory(account_number=f"R-9{n:03d}")
        Customer.objects.create(reseller=reseller, name="Globex")

    rows = walk(api(olivia), "/api/v1/customers/", {"page_size": 4})

    assert len(rows) == 30 and len({row["id"] for row in rows}) == 30
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)  # name, then id


# --- query counts ----------------------------------------------------------------------------


def queries_for(client, url: str, params: dict) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.json()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (SYSTEMS, {}),
        (SYSTEMS, {"sort": "expiry", "status": ["covered", "expiring"], "expiring_within": "400"}),
        (SYSTEMS, {"sort": "-expiry", "q": "customer"}),
        ("/api/v1/contracts/", {}),
        ("/api/v1/customers/", {}),
    ],
)
def test_a_list_of_10_and_of_2000_take_the_same_number_of_queries(
    api, alice, acme, bulk_systems, url, params
):
    client = api(alice)
    # expiring in a month of the region's today, so the status filter finds them on any date
    ends_on = user_today(alice) + timedelta(days=30)
    bulk_systems(acme, 10, ends_on=ends_on)
    small, small_body = queries_for(client, url, params)

    bulk_systems(acme, 1990, ends_on=ends_on, customers=60, prefix="MORE")
    large, large_body = queries_for(client, url, params)
    deep, _ = queries_for(client, large_body["next"], {})

    assert len(small_body["results"]) == 10 or url.endswith("customers/")
    assert len(large_body["results"]) == 50
    assert small == large == deep
    assert small >= 2  # the queries were counted: at least the login and the rows


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/bulletins/", {}),
        ("/api/v1/orders/", {}),
        (SYSTEMS, {"q": "NO-SUCH-SERIAL"}),
        (SYSTEMS, {"status": "pending"}),
        ("/api/v1/contracts/", {"kind": "upgrade"}),
    ],
)
def test_an_empty_list_takes_the_same_queries_for_10_systems_and_for_2000(
    api, alice, acme, bulk_systems, url, params
):
    client = api(alice)
    bulk_systems(acme, 10)
    small, small_body = queries_for(client, url, params)

    bulk_systems(acme, 1990, customers=60, prefix="MORE")
    large, large_body = queries_for(client, url, params)

    assert small_body["results"] == large_body["results"] == []
    # the login, the rows, the release numbers, the customers a search names: no count, no scan
    assert small == large <= 4


def test_a_deep_page_is_one_query_for_the_rows(api, alice, acme, bulk_systems):
    bulk_systems(acme, 400)
    client = api(alice)
    body = client.get(SYSTEMS, {"sort": "expiry", "page_size": 100}).json()
    body = client.get(body["next"]).json()

    with CaptureQueriesContext(connection) as queries:
        client.get(body["next"])

    system_table = System._meta.db_table
    selects = [q["sql"] for q in queries if f'FROM "{system_table}"' in q["sql"]]
    assert len(selects) == 1
    assert "COUNT(" not in " ".join(q["sql"] for q in queries).upper()
    assert "OFFSET" not in selects[0].upper()
