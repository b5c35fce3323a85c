"""Nasty values in every query parameter of every list, portal and API: never a server error.

The routes come from the URL resolver (portal pages whose address takes no argument) and from
the OpenAPI schema (API lists and what they accept); the parameter names from every FilterSet,
the schema, and the few names portal views read themselves. The values are what once gave 500s
(issue 16.4): NUL, lone surrogates, years 1 and 9999, Infinity and NaN, very long strings, and
cursors whose positions are tampered with. Bounded: about 25 s for the four tests here.
"""

from __future__ import annotations

import base64
import json
from datetime import date
from urllib.parse import parse_qs, quote, urlsplit

import django_filters
import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from contracts.services import contract_book

pytestmark = pytest.mark.django_db

# Portal prefixes that are no lists of ours: the API (fuzzed below), admin, Django's accounts.
NOT_PORTAL_LISTS = ("api/", "admin/", "accounts/")
# Names portal views read from the query themselves (besides their FilterSets' and forms').
PORTAL_NAMES = [
    "page", "p", "serial", "system", "coterm", "month", "outcome", "inline", "contract",
    "po_number", "state", "from", "to", "on", "cursor", "page_size",
]  # fmt: skip
PAGING = ["page", "p", "cursor", "page_size"]
FUZZ = settings(
    max_examples=100,
    derandomize=True,  # the same examples every run, as the schemathesis test does
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "\x00", "a\x00b", "\ud800", "x\udfffy", "\uffff", "\u202e", "%00", "%", "'", '"', "\\",
    "9999-12", "0001-01", "9999-12-31", "0001-01-01", "10000-01-01", "2027-02-30", "2027-13",
    "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "-1", "0", "1e309", "-1e309",
    "Infinity", "-Infinity", "NaN", "99999999999999999999", "-9223372036854775809",
    "", " ", "x" * 5000, "é" * 3000, "<script>", "../..", "null", "true", "[]", "{}",
]  # fmt: skip
# The kinds of value that gave 500s, one of each: every parameter gets each of them.
WORST = [
    "\x00", "\ud800", "9999-12", "0001-01", "9999-12-31", "0001-01-01",
    "9999-12-31T23:59:59Z", "1e309", "NaN", "-1", "99999999999999999999", "x" * 5000,
]  # fmt: skip
nasty_text = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(NASTY),  # twice: the known-bad values more often than random text
    st.text(st.characters(codec=None, exclude_categories=()), max_size=30),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=date(1, 1, 1)).map(lambda day: day.isoformat()[: 7 + 3 * (day.day % 2)]),
)
nasty_json = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    nasty_text,
    st.lists(st.integers(), max_size=2),
)


def query_string(pairs: list[tuple[str, str]]) -> str:
    """Percent-encoded as a hostile client would send it: lone surrogates as their bytes."""
    return "&".join(
        f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}"
        for name, value in pairs
    )


def portal_routes() -> list[str]:
    """Every portal address without arguments, from the URL resolver."""
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(NOT_PORTAL_LISTS) or "<" in route or "(?P" in route:
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                found.append("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def filterset_names() -> set[str]:
    """The filter names of every FilterSet of the project (the URLconf imports them all)."""
    assert get_resolver().url_patterns and get_resolver("partnerxpress.api_urls").url_patterns
    names, todo = set(), list(django_filters.FilterSet.__subclasses__())
    while todo:
        filterset = todo.pop()
        todo += filterset.__subclasses__()
        names |= set(filterset.base_filters)
    return names


def api_lists() -> dict[str, list[str]]:
    """GET operations of the API without path arguments, each with its query parameters."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: [p["name"] for p in operation["get"].get("parameters", []) if p["in"] == "query"]
        for path, operation in schema["paths"].items()
        if "get" in operation and "{" not in path
    }


@pytest.fixture
def fuzz_world(alice, olivia, acme, brightline, make_system):
    """A few systems of every kind of state, and a cursor signature of each API list."""
    covered = make_system(acme, serial_number="CX-1")
    contract_book(system=covered, kind="plan", booked_on=date(2026, 1, 1), term_months=12)
    lapsed = make_system(acme, customer="Initech", release="7.5", serial_number="CX-2")
    contract_book(system=lapsed, kind="plan", booked_on=date(2020, 1, 1), term_months=12)
    make_system(acme, customer="Umbrella", product="Seneca", release="5.1", serial_number="SN-1")
    make_system(brightline, customer="Hooli", serial_number="CX-3")
    return Token.objects.get_or_create(user=alice)[0].key


def cursor_shapes(client, lists: dict[str, list[str]]) -> list[tuple[str, str, int]]:
    """(path, signature, number of values) of a real `next` cursor of each API list."""
    shapes = []
    for path, params in lists.items():
        if "cursor" not in params:
            continue
        answer = client.get(path, {"page_size": 1})
        link = answer.json().get("next") if answer.status_code == 200 else None
        if link:
            token = parse_qs(urlsplit(link).query)["cursor"][0]
            payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            shapes.append((path, payload["k"], len(payload["v"])))
    return shapes


def tampered_cursor(signature: str, values: list) -> str:
    payload = json.dumps({"k": signature, "v": values}).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def test_each_worst_value_in_every_portal_lists_parameters_is_no_server_error(
    client, alice, fuzz_world
):
    # A page reads its filters one by one (a wrong one is a message, the others still apply),
    # so every filter at once tries them all; a wrong page number, though, shows its message
    # without reading the rows, so the paging parameters get their turn on their own.
    names = sorted(filterset_names() | set(PORTAL_NAMES) - set(PAGING))
    assert {"renew_by_month", "ends_month", "status", "serial"} <= set(names)
    client.force_login(alice)
    for route in portal_routes():
        for value in WORST:
            for pairs in ([(name, value) for name in names], [(name, value) for name in PAGING]):
                answer = client.get(route, QUERY_STRING=query_string(pairs))
                assert answer.status_code < 500, (route, pairs[0])


def test_each_worst_value_in_each_parameter_of_every_api_list_is_no_server_error(
    client, fuzz_world
):
    # One at a time: the API refuses a request at its first wrong parameter.
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {fuzz_world}"
    for path, params in api_lists().items():
        for name in params:
            for value in WORST:
                answer = client.get(path, QUERY_STRING=query_string([(name, value)]))
                assert answer.status_code < 500, (path, name, value)
                assert answer["Content-Type"] == "application/json", (path, name, value)


def test_no_query_parameter_of_a_portal_list_gives_a_server_error(
    client, alice, olivia, fuzz_world
):
    routes = portal_routes()
    names = sorted(filterset_names() | set(PORTAL_NAMES))
    assert "/contracts/" in routes and "/orders/" in routes and "renew_by_month" in names

    @FUZZ
    @given(
        user=st.sampled_from([alice, olivia]),  # staff name resellers, too
        route=st.sampled_from(routes),
        pairs=st.lists(st.tuples(st.sampled_from(names), nasty_text), min_size=1, max_size=3),
    )
    def check(user, route: str, pairs: list[tuple[str, str]]) -> None:
        client.force_login(user)
        answer = client.get(route, QUERY_STRING=query_string(pairs))
        assert answer.status_code < 500, (user, route, pairs)

    check()


def test_no_query_parameter_of_an_api_list_gives_a_server_error(client, alice, fuzz_world):
    lists = api_lists()
    assert "/api/v1/systems/" in lists and "renew_by_month" in lists["/api/v1/systems/"]
    auth = {"HTTP_AUTHORIZATION": f"Token {fuzz_world}"}
    client.defaults.update(auth)
    shapes = cursor_shapes(client, lists)
    assert shapes, "no list has a second page to tamper with"
    routes = sorted(path for path, params in lists.items() if params)

    tampered = st.sampled_from(shapes).flatmap(
        lambda shape: st.tuples(
            st.just(shape[0]),
            st.lists(nasty_json, min_size=shape[2], max_size=shape[2]).map(
                lambda values: [("cursor", tampered_cursor(shape[1], values))]
            ),
        )
    )
    plain = st.sampled_from(routes).flatmap(
        lambda path: st.tuples(
            st.just(path),
            st.lists(st.tuples(st.sampled_from(lists[path]), nasty_text), min_size=1, max_size=3),
        )
    )

    @FUZZ
    @given(request=st.one_of(plain, tampered))
    def check(request: tuple[str, list[tuple[str, str]]]) -> None:
        path, pairs = request
        answer = client.get(path, QUERY_STRING=query_string(pairs))
        assert answer.status_code < 500, (path, pairs)
        assert answer["Content-Type"] == "application/json", (path, pairs)

    check()
