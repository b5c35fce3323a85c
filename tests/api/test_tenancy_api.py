"""The tenancy walker: every /api/v1/ route, found in the URL resolver, keeps resellers apart.

For each route and each method it answers: anonymous callers get 401/403; carol (Acme, no
XpressCare Contracts access) gets 403 where access is needed; bob's object (Brightline) is a
404 for alice (Acme) exactly like a missing one, and never shows in her lists — while bob
himself sees it, which proves the registry built a real object.

A new route needs an entry in REGISTRY (its URL name → how to build bob's object for it);
`test_every_api_route_has_a_tenancy_entry` fails until it has one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from contracts.services import contract_book
from partnerxpress.api_urls import api_not_found
from partnerxpress.core.api import HasContractsAccess, ScopedQuerysetMixin

WRITE_METHODS = {"post", "put", "patch", "delete"}


@dataclass(frozen=True)
class Route:
    name: str | None
    pattern: str
    methods: tuple[str, ...]
    view_class: type | None


def _methods(callback) -> tuple[str, ...]:
    actions = getattr(callback, "actions", None)
    if actions:
        return tuple(sorted(actions))
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        return ("get",)
    return tuple(
        method
        for method in view_class.http_method_names
        if method not in {"options", "head", "trace"} and hasattr(view_class, method)
    )


def api_routes() -> list[Route]:
    """Every route under /api/v1/ (not its format-suffix twins nor the JSON 404 catch-all)."""

    def walk(patterns, prefix: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry

    routes = []
    for pattern, entry in walk(get_resolver().url_patterns, ""):
        if not pattern.startswith("api/v1/") or entry.callback is api_not_found:
            continue
        if "(?P<format>" in pattern:
            continue
        callback = entry.callback
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        routes.append(Route(entry.name, pattern, _methods(callback), view_class))
    return routes


ROUTES = api_routes()


# --- how to build bob's object for each route --------------------------------------------------


@dataclass
class World:
    """Acme (alice, carol) and Brightline (bob); `bob_system` is Brightline's, with a contract."""

    alice: object
    bob: object
    carol: object
    bob_system: object
    bob_contract: object
    make_system: Callable


@dataclass
class Probe:
    """Bob's object for one route: path kwargs naming it, or a marker showing it in a list."""

    kwargs: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    data: dict | None = None  # the body of a write
    missing_data: dict | None = None  # the same body naming an object that does not exist
    marker: str | None = None  # text only bob's object puts in a list
    needs: str = "contracts"  # "contracts", "technician" or "login"
    shared: bool = False  # the same for every signed-in user (e.g. product bulletins)
    own_only: bool = False  # acts on the caller's own account: no one else's can be named


def certify(*users) -> None:
    """Support needs a certified technician: make these users ones (no expiry)."""
    for user in users:
        user.is_certified_technician = True
        user.certification_expires_on = None
        user.save()


def support_ready() -> None:
    """Business hours and the rate card, as the incidents migration installs them."""
    importlib.import_module("incidents.migrations.0002_defaults").install(apps, None)


def bobs_case(world: World) -> Probe:
    from incidents.services import case_open

    support_ready()
    certify(world.bob)
    case = case_open(
        user=world.bob,
        system=world.bob_system,
        severity="system_down",
        summary="Voicemail down",
        contact_phone="+44 20 7946 0000",
        now=timezone.now(),
    )
    return Probe(kwargs={"pk": case.pk}, needs="technician")


def incident_request(world: World, **fields) -> Probe:
    support_ready()
    given = {"serial_number": world.bob_system.serial_number, **fields}
    return Probe(
        data=given,
        missing_data={**given, "serial_number": "NO-SUCH-SYSTEM"},
        marker=world.bob_system.serial_number,
        needs="technician",
    )


def bobs_cases(world: World) -> Probe:
    """Bob has a case (for the list); the body opens another (for POST)."""
    bobs_case(world)
    return incident_request(
        world, severity="system_down", summary="Down", contact_phone="+44 20 7946 0000"
    )


def bobs_orders(world: World) -> Probe:
    """Bob has an order (for the list); the body places another (for POST)."""
    from renewals.services import LineRequest, order_submit

    serial = world.bob_system.serial_number
    order_submit(
        user=world.bob, kind="renewal", po_number="BOB-PO-1", lines=[LineRequest(serial, 12)]
    )
    line = {"serial_number": serial, "term_months": 12}
    given = {"kind": "renewal", "po_number": "BOB-PO-2", "lines": [line]}
    missing = {**given, "lines": [{**line, "serial_number": "NO-SUCH-SYSTEM"}]}
    return Probe(data=given, missing_data=missing, marker="BOB-PO-1")


def bobs_order(world: World) -> Probe:
    from renewals.services import LineRequest, order_submit

    serial = world.bob_system.serial_number
    order, _ = order_submit(
        user=world.bob, kind="renewal", po_number="BOB-PO-1", lines=[LineRequest(serial, 12)]
    )
    return Probe(kwargs={"pk": order.pk})


def published_bulletin(world: World) -> Probe:
    from upgrades.models import Bulletin

    Bulletin.objects.create(
        release=world.bob_system.release,
        title="A release for everyone",
        text="Bulletins announce releases; every signed-in user reads the same ones.",
        published_at=timezone.now(),
    )
    return Probe(needs="login", shared=True)


def bobs_due_system(world: World) -> Probe:
    """A Brightline system due for renewal on June 1st 2026, for renewals/due."""
    system = world.make_system(world.bob.reseller, customer="Due at Brightline")
    contract_book(system=system, kind="plan", booked_on=date(2025, 7, 1), term_months=12)
    return Probe(params={"on": "2026-06-01"}, marker=system.serial_number)


def bobs_lapsed_opportunity(world: World) -> Probe:
    """A Brightline system whose coverage ended in December 2024 and lapsed: an outcome."""
    system = world.make_system(world.bob.reseller, customer="Lapsed at Brightline")
    contract_book(system=system, kind="plan", booked_on=date(2024, 1, 1), term_months=12)
    return Probe(params={"from": "2024-12", "to": "2024-12"}, marker='"lapsed":1')


def bobs_decision(world: World) -> Probe:
    """Bob's system has a "will not renew" (to read and withdraw); the body records another."""
    from contracts.services import renewal_decision_record

    renewal_decision_record(
        system=world.bob_system, user=world.bob, kind="will_not_renew", reason="replaced"
    )
    return Probe(
        kwargs={"serial_number": world.bob_system.serial_number},
        data={"decision": "will_not_renew", "reason": "decommissioned"},
    )


def bobs_calendar(world: World) -> Probe:
    """Bob's calendar feed is on; the route only ever turns the caller's own on or off."""
    from renewals.services.calendar import calendar_feed_turn_on

    return Probe(marker=calendar_feed_turn_on(user=world.bob), own_only=True)


REGISTRY: dict[str, Callable[[World], Probe]] = {
    "customer-list": lambda w: Probe(marker=w.bob_system.customer.name),
    "customer-detail": lambda w: Probe(kwargs={"pk": w.bob_system.customer_id}),
    "system-list": lambda w: Probe(marker=w.bob_system.serial_number),
    "system-detail": lambda w: Probe(kwargs={"serial_number": w.bob_system.serial_number}),
    "system-entitlement": lambda w: Probe(kwargs={"serial_number": w.bob_system.serial_number}),
    "system-renewal-options": lambda w: Probe(kwargs={"serial_number": w.bob_system.serial_number}),
    "system-renewal-decision": bobs_decision,
    "contract-list": lambda w: Probe(marker=w.bob_system.serial_number),
    "contract-detail": lambda w: Probe(kwargs={"pk": w.bob_contract.pk}),
    # incidents: for certified technicians; bob's system is covered, so his cases are free.
    "api-incident-list": bobs_cases,
    "api-incident-detail": bobs_case,
    "api-incident-quote": lambda w: incident_request(
        w, started_at=timezone.now().isoformat(), minutes=60, system_down=True
    ),
    # orders: placed and read with contracts access; bulletins: one list for everybody
    "order-list": bobs_orders,
    "order-detail": bobs_order,
    "bulletin-list": published_bulletin,
    # notifications: what the monthly renewal e-mail lists, for the caller's own reseller.
    "renewals-due": bobs_due_system,
    "renewals-outcomes": bobs_lapsed_opportunity,
    "api-calendar": bobs_calendar,
}


@pytest.fixture
def world(alice, bob, carol, brightline, make_system) -> World:
    bob_system = make_system(
        brightline, customer="Hooli of Brightline", serial_number="BRIGHTLINE-ONLY-1"
    )
    contract = contract_book(system=bob_system, kind="plan", booked_on=date.today(), term_months=12)
    make_system(alice.reseller, customer="Globex of Acme")  # alice's lists are not empty
    return World(alice, bob, carol, bob_system, contract, make_system)


def probe_for(route: Route, world: World) -> Probe:
    if route.name not in REGISTRY:
        pytest.fail(f"{route.pattern} ({route.name}) has no entry in REGISTRY: add one.")
    probe = REGISTRY[route.name](world)
    if probe.needs == "technician":
        certify(world.alice, world.bob)
        world.carol.has_contracts_access = True  # carol is refused for being no technician,
        world.carol.save()  # not for lacking contracts access
    return probe


def call(client, method: str, route: Route, probe: Probe, *, data: dict | None = None):
    url = reverse(route.name, kwargs=probe.kwargs)
    if method in WRITE_METHODS:
        return getattr(client, method)(url, data if data is not None else probe.data or {})
    return getattr(client, method)(url, probe.params)


CASES = [
    pytest.param(route, method, id=f"{route.name}:{method}")
    for route in ROUTES
    for method in route.methods
]


# --- the walker ---------------------------------------------------------------------------------


def test_the_walker_finds_the_contracts_routes():
    names = {route.name for route in ROUTES}

    assert names >= {
        "customer-list",
        "customer-detail",
        "system-list",
        "system-detail",
        "system-entitlement",
        "system-renewal-options",
        "contract-list",
        "contract-detail",
    }


def test_every_api_route_has_a_name_and_a_tenancy_entry():
    unnamed = [route.pattern for route in ROUTES if not route.name]
    missing = [f"{route.pattern} ({route.name})" for route in ROUTES if route.name not in REGISTRY]

    assert not unnamed, f"name these API routes: {unnamed}"
    assert not missing, f"add to REGISTRY in {__file__}: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method"), CASES)
def test_anonymous_callers_are_refused(api, world, route, method):
    probe = probe_for(route, world)

    response = call(api(), method, route, probe)

    assert response.status_code in (401, 403), response.content
    assert "detail" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method"), CASES)
def test_carol_without_access_is_refused_where_access_is_needed(api, world, route, method):
    probe = probe_for(route, world)

    response = call(api(world.carol), method, route, probe)

    if probe.needs == "login":  # open to any signed-in user of the reseller: carol included
        assert HasContractsAccess not in getattr(route.view_class, "permission_classes", [])
        assert response.status_code not in (401, 403), response.content
        return
    assert response.status_code == 403, response.content
    assert set(response.json()) == {"detail"}


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method"), CASES)
def test_bobs_object_is_invisible_to_alice(api, world, route, method):
    probe = probe_for(route, world)
    alice, bob = api(world.alice), api(world.bob)

    theirs = call(alice, method, route, probe)
    own = call(bob, method, route, probe)

    assert 200 <= own.status_code < 300, ("bob must see his own object", own.content)
    if probe.shared:
        assert theirs.json() == own.json()
    elif probe.own_only:  # alice's call did its work on her own account, and shows nothing of bob's
        assert 200 <= theirs.status_code < 300, theirs.content
        assert probe.marker not in theirs.content.decode()
    elif probe.kwargs:
        assert theirs.status_code == 404, theirs.content
        missing = Probe(kwargs={key: _missing(value) for key, value in probe.kwargs.items()})
        assert call(alice, method, route, missing).json() == theirs.json()
    elif method in WRITE_METHODS:
        assert theirs.status_code in (400, 404), theirs.content
        refused_like_missing = call(alice, method, route, probe, data=probe.missing_data)
        assert refused_like_missing.status_code == theirs.status_code
        assert set(refused_like_missing.json()) == set(theirs.json())
    else:
        assert theirs.status_code == 200, theirs.content
        assert probe.marker and probe.marker in own.content.decode()
        assert probe.marker not in theirs.content.decode()


def _missing(value):
    return 987654321 if isinstance(value, int) else f"{value}-NOT-THERE"


PUBLIC_ROWS = {"bulletin-list"}  # bulletins announce releases to every reseller


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name or route.pattern)
def test_every_api_list_is_scoped_by_the_base_class_alone(route):
    view_class = route.view_class
    if view_class is None or getattr(view_class, "queryset", None) is None:
        return  # no rows of its own: it names its objects through the selectors
    assert "get_queryset" not in vars(view_class), "scope rows in ScopedQuerysetMixin only"
    if route.name not in PUBLIC_ROWS:
        assert issubclass(view_class, ScopedQuerysetMixin), route.name
        assert view_class.get_queryset is ScopedQuerysetMixin.get_queryset
