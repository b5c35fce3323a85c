"""Systems API (SPEC §6.2): entitlement, renewal options, the list and its filters, bad input."""

from datetime import date, timedelta

import pytest
from django.test import RequestFactory

from contracts import rules
from contracts.filters import SystemFilter
from contracts.models import System
from contracts.selectors import system_list
from contracts.serializers import EntitlementFields, SystemSerializer
from contracts.services import contract_book
from partnerxpress.core.tenancy import user_today

pytestmark = pytest.mark.django_db

ENTITLEMENT = "/api/v1/systems/{}/entitlement/"
RENEWAL_OPTIONS = "/api/v1/systems/{}/renewal-options/"
SYSTEMS = "/api/v1/systems/"


def test_entitlement_of_cx1_is_the_spec_example_exactly(api, alice, cx1):
    response = api(alice).get(ENTITLEMENT.format("CX-1"), {"on": "2026-11-26"})

    assert response.status_code == 200
    assert response.json() == {
        "serial_number": "CX-1",
        "product": "CallXpress",
        "release": "8.0",
        "on": "2026-11-26",
        "status": "expiring",
        "covered": True,
        "coverage_starts_on": "2026-01-01",
        "coverage_ends_on": "2026-12-31",
        "renewable": True,
        "renew_by": "2027-01-30",
        "upgrade_eligible": True,
        "upgrade_to": "8.1",
        "support_eligible": True,
        "requires_um_coverage": False,
        "requires_tts_coverage": True,
    }
    assert list(response.json())[:4] == ["serial_number", "product", "release", "on"]


def option(term: int, ends_on: str, list_price: str, net_price: str) -> dict:
    return {
        "term_months": term,
        "starts_on": "2027-01-01",
        "ends_on": ends_on,
        "list_price": list_price,
        "net_price": net_price,
    }


def test_renewal_options_of_cx1_list_every_term_in_order(api, alice, cx1):
    response = api(alice).get(RENEWAL_OPTIONS.format("CX-1"), {"on": "2026-11-26"})

    assert response.status_code == 200
    assert response.json() == {
        "serial_number": "CX-1",
        "on": "2026-11-26",
        "renewable": True,
        "reason": None,
        "requires_um_coverage": False,
        "requires_tts_coverage": True,
        "currency": "USD",
        "options": [  # CallXpress with its required TTS channel: 1,350.00 a year (SPEC §1.7)
            option(12, "2027-12-31", "1350.00", "1350.00"),
            option(13, "2028-01-31", "1462.50", "1462.50"),
            option(14, "2028-02-29", "1575.00", "1575.00"),
            option(15, "2028-03-31", "1687.50", "1687.50"),
            option(24, "2028-12-31", "2700.00", "2565.00"),
            option(36, "2029-12-31", "4050.00", "3645.00"),
        ],
    }


@pytest.mark.parametrize(
    ("on", "status", "covered", "renewable", "renew_by", "upgrade_to"),
    [
        ("2025-12-31", "pending", False, True, "2027-01-30", None),
        ("2026-01-01", "covered", True, True, "2027-01-30", "8.1"),
        ("2026-06-30", "covered", True, True, "2027-01-30", "8.1"),
        ("2027-01-15", "grace", False, True, "2027-01-30", None),
        ("2027-01-31", "lapsed", False, False, None, None),
    ],
)
def test_entitlement_follows_the_rules_on_every_date(
    api, alice, cx1, on, status, covered, renewable, renew_by, upgrade_to
):
    expected = rules.entitlement_on(
        rules.SystemFacts(
            eligible=True,
            release="8.0",
            product_releases=("7.5", "8.0", "8.1"),
            um_clients=50,
            tts_channels=1,
            purchases=tuple(c.purchase for c in cx1.contracts.all()),
        ),
        date.fromisoformat(on),
    )

    body = api(alice).get(ENTITLEMENT.format("CX-1"), {"on": on}).json()

    assert body["status"] == expected.coverage.status == status
    assert body["covered"] is expected.coverage.covered is covered
    assert body["renewable"] is renewable
    assert body["renew_by"] == renew_by
    assert body["upgrade_to"] == upgrade_to
    assert body["upgrade_eligible"] is (upgrade_to is not None)
    assert body["support_eligible"] is covered
    assert (body["coverage_starts_on"], body["coverage_ends_on"]) == ("2026-01-01", "2026-12-31")


def test_on_defaults_to_today_in_the_callers_region(api, alice, cx1):
    body = api(alice).get(ENTITLEMENT.format("CX-1")).json()
    options = api(alice).get(RENEWAL_OPTIONS.format("CX-1")).json()

    assert body["on"] == options["on"] == user_today(alice).isoformat()


def test_a_system_on_the_current_release_has_no_upgrade_but_support(api, alice, acme, make_system):
    system = make_system(acme, release="8.1")
    contract_book(system=system, kind="plan", booked_on=date(2026, 1, 1), term_months=24)

    body = api(alice).get(ENTITLEMENT.format(system.serial_number), {"on": "2026-11-26"}).json()

    assert (body["status"], body["upgrade_eligible"], body["upgrade_to"]) == (
        "covered",
        False,
        None,
    )
    assert body["support_eligible"] is True


def test_a_covered_system_two_releases_behind_is_not_support_eligible(
    api, alice, acme, make_system
):
    system = make_system(acme, release="7.5", um_clients=51)
    contract_book(
        system=system,
        kind="plan",
        booked_on=date(2026, 1, 1),
        term_months=12,
        covers_um_clients=True,
    )

    body = api(alice).get(ENTITLEMENT.format(system.serial_number), {"on": "2026-03-01"}).json()

    assert body["upgrade_to"] == "8.1" and body["support_eligible"] is False
    assert body["requires_um_coverage"] is True and body["requires_tts_coverage"] is False


def test_a_pending_new_purchase_starts_later_and_is_renewable(api, alice, acme, make_system):
    system = make_system(acme)
    contract_book(system=system, kind="new_purchase", booked_on=date(2026, 11, 1), term_months=12)

    body = api(alice).get(ENTITLEMENT.format(system.serial_number), {"on": "2026-11-10"}).json()

    assert body["status"] == "pending" and body["covered"] is False
    assert body["coverage_starts_on"] == "2026-12-01"
    assert body["coverage_ends_on"] == "2027-11-30"
    assert body["renew_by"] == "2027-12-30"


def test_a_lapsed_system_has_no_renewal_options_and_says_why(api, alice, cx1):
    body = api(alice).get(RENEWAL_OPTIONS.format("CX-1"), {"on": "2027-01-31"}).json()

    assert body["renewable"] is False
    assert body["options"] == []
    assert body["reason"] == rules.MESSAGES["renewal_too_late"]


def test_a_renewal_booked_30_days_after_the_end_is_still_offered(api, alice, cx1):
    body = api(alice).get(RENEWAL_OPTIONS.format("CX-1"), {"on": "2027-01-30"}).json()

    assert body["renewable"] is True
    assert body["options"][0] == {
        "term_months": 12,
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "list_price": "1350.00",  # CallXpress with its one required TTS channel (SPEC §1.7)
        "net_price": "1350.00",
    }


@pytest.mark.parametrize(
    ("product", "release", "reason"),
    [
        ("RightFax", "10.0", rules.MESSAGES["ineligible_product"]),
        ("CallXpress", "8.0", rules.MESSAGES["nothing_to_renew"]),
    ],
)
def test_systems_that_cannot_renew_say_why(api, alice, acme, make_system, product, release, reason):
    system = make_system(acme, product=product, release=release)

    body = api(alice).get(RENEWAL_OPTIONS.format(system.serial_number)).json()
    entitlement = api(alice).get(ENTITLEMENT.format(system.serial_number)).json()

    assert (body["renewable"], body["options"], body["reason"]) == (False, [], reason)
    assert entitlement["status"] == ("ineligible" if product == "RightFax" else "never")
    assert entitlement["renewable"] is False and entitlement["renew_by"] is None


@pytest.mark.parametrize(
    "on", ["26-11-2026", "2026-13-01", "2026-02-30", "20261126", "2026-1-5", "today", "0999-01-01"]
)
@pytest.mark.parametrize("url", [ENTITLEMENT, RENEWAL_OPTIONS])
def test_a_bad_date_is_a_400_on_the_on_field(api, alice, cx1, url, on):
    response = api(alice).get(url.format("CX-1"), {"on": on})

    assert response.status_code == 400
    assert list(response.json()) == ["on"]
    assert response.json()["on"][0].startswith("Enter a date")


@pytest.mark.parametrize("url", [ENTITLEMENT, RENEWAL_OPTIONS, "/api/v1/systems/{}/"])
def test_an_unknown_serial_number_is_a_json_404(api, alice, cx1, url):
    response = api(alice).get(url.format("NO-SUCH-SERIAL"))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "No System matches the given query."}


# --- the list --------------------------------------------------------------------------------


def test_a_system_row_has_its_facts_and_todays_entitlement(api, alice, cx1):
    row = api(alice).get(SYSTEMS).json()["results"][0]
    entitlement = api(alice).get(ENTITLEMENT.format("CX-1")).json()

    assert row == {
        "serial_number": "CX-1",
        "reseller": "R-1001",
        "customer": cx1.customer_id,
        "customer_name": "Globex",
        "product": "CallXpress",
        "release": "8.0",
        "installed_on": "2022-03-15",
        "um_clients": 50,
        "tts_channels": 1,
        **{
            k: v
            for k, v in entitlement.items()
            if k not in {"serial_number", "product", "release", "on"}
        },
    }
    assert api(alice).get(f"{SYSTEMS}CX-1/").json() == row


@pytest.fixture
def portfolio(acme, make_system):
    """Systems of Acme in every status today, on two products and three customers."""
    today = date.today()
    made = []
    for n, (customer, booked_days_ago, product) in enumerate(
        [
            ("Globex", 100, "CallXpress"),  # covered
            ("Globex", 300, "CallXpress"),  # expiring
            ("Initech", 380, "Seneca"),  # grace
            ("Initech", 500, "CallXpress"),  # lapsed
            ("Umbrella", -1, "CallXpress"),  # never
            ("Umbrella", None, "RightFax"),  # ineligible
            ("Initech", 10, "Seneca"),  # pending (new purchase)
        ]
    ):
        release = {"CallXpress": "8.0", "Seneca": "5.1", "RightFax": "10.0"}[product]
        system = make_system(acme, customer=customer, product=product, release=release)
        if booked_days_ago is not None and booked_days_ago >= 0:
            kind = "new_purchase" if n == 6 else "plan"
            contract_book(
                system=system,
                kind=kind,
                booked_on=today - timedelta(days=booked_days_ago),
                term_months=12,
            )
        made.append(system)
    return made


def filtered_by_the_portal_filter(user, params: dict) -> list[str]:
    request = RequestFactory().get("/contracts/", params)
    request.user = user
    systems = SystemFilter(request.GET, queryset=system_list(user), request=request).qs
    return list(systems.values_list("serial_number", flat=True))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "covered"},
        {"status": ["expiring", "grace"]},
        {"status": "lapsed"},
        {"status": "never"},
        {"status": "pending"},
        {"status": "ineligible"},
        {"product": "Seneca"},
        {"expiring_within": "90"},
        {"expiring_within": "0"},
        {"q": "glob"},
        {"q": "CX-"},
        {"sort": "expiry"},
        {"sort": "-expiry"},
        {"sort": "customer"},
        {"sort": "serial"},
        {"status": "covered", "product": "CallXpress", "sort": "-expiry"},
    ],
)
def test_the_list_filters_exactly_like_the_portal(api, alice, portfolio, params):
    response = api(alice).get(SYSTEMS, params)

    assert response.status_code == 200
    serials = [row["serial_number"] for row in response.json()["results"]]
    assert serials == filtered_by_the_portal_filter(alice, params)


def test_each_row_shows_the_status_the_status_filter_selects(api, alice, portfolio):
    for status in rules.Status:
        rows = api(alice).get(SYSTEMS, {"status": status.value}).json()["results"]
        assert rows, status
        assert {row["status"] for row in rows} == {status.value}


def test_the_customer_filter_takes_a_customer_id(api, alice, portfolio):
    customer = portfolio[2].customer

    rows = api(alice).get(SYSTEMS, {"customer": customer.pk}).json()["results"]

    assert {row["customer_name"] for row in rows} == {"Initech"}
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "sleeping"}, "status"),
        ({"product": "Notepad"}, "product"),
        ({"customer": "999999"}, "customer"),
        ({"customer": "abc"}, "customer"),
        ({"expiring_within": "-1"}, "expiring_within"),
        ({"expiring_within": "soon"}, "expiring_within"),
        ({"expiring_within": "99999"}, "expiring_within"),
        ({"sort": "price"}, "sort"),
        ({"q": "nul\x00byte"}, "q"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "501"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_bad_filter_values_are_a_400_with_a_message_per_field(api, alice, portfolio, params, field):
    response = api(alice).get(SYSTEMS, params)

    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert all(isinstance(message, str) and message for message in body[field])


def test_another_resellers_customer_is_refused_like_a_missing_one(
    api, alice, bob, brightline, make_system
):
    theirs = make_system(brightline, customer="Hooli").customer

    foreign = api(alice).get(SYSTEMS, {"customer": theirs.pk})
    missing = api(alice).get(SYSTEMS, {"customer": 999999})

    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == missing.json()


def test_staff_see_every_resellers_systems(api, olivia, alice, bob, cx1, brightline, make_system):
    theirs = make_system(brightline, customer="Hooli")

    serials = {row["serial_number"] for row in api(olivia).get(SYSTEMS).json()["results"]}

    assert serials == {"CX-1", theirs.serial_number}
    assert api(olivia).get(ENTITLEMENT.format(theirs.serial_number)).status_code == 200


@pytest.fixture
def renewed(acme, make_system):
    """Systems whose current period is not their chain's first: a renewal running, a renewal
    chained ahead, a renewed chain in grace, and a second chain after a lapse."""
    today = date.today()
    histories = [
        [("plan", 400, 12), ("renewal", 40, 12)],
        [("plan", 200, 12), ("renewal", 10, 12), ("renewal", 5, 24)],
        [("plan", 750, 12), ("renewal", 400, 12)],
        [("plan", 1200, 12), ("upgrade", 300, 12)],
    ]
    made = []
    for history in histories:
        system = make_system(acme, customer="Hooli", um_clients=60)
        for kind, days_ago, term in history:
            contract_book(
                system=system,
                kind=kind,
                booked_on=today - timedelta(days=days_ago),
                term_months=term,
                covers_um_clients=True,
            )
        made.append(system)
    return made


def test_every_list_row_equals_the_systems_own_look_up_in_every_status(
    api, alice, portfolio, renewed
):
    # given systems in every status, some renewed (their current period is not the first)
    client = api(alice)

    # when the list (coverage summary) and each system's look-up (whole history) are read
    rows = client.get(SYSTEMS, {"page_size": 500}).json()["results"]

    # then they agree on every field, in the documented order
    assert len(rows) == len(portfolio) + len(renewed)
    assert {row["status"] for row in rows} == {status.value for status in rules.Status}
    for row in rows:
        assert list(row) == SystemSerializer.Meta.fields
        assert client.get(f"{SYSTEMS}{row['serial_number']}/").json() == row
        entitlement = client.get(ENTITLEMENT.format(row["serial_number"])).json()
        assert {key: row[key] for key in EntitlementFields.FIELDS} == {
            key: entitlement[key] for key in EntitlementFields.FIELDS
        }
    chain_starts = dict(System.objects.values_list("serial_number", "chain_starts_on"))
    assert any(  # a current period that is not its chain's first was among them
        row["covered"]
        and row["coverage_starts_on"] != chain_starts[row["serial_number"]].isoformat()
        for row in rows
    )
