"""The portal's Home, XpressCare Contracts list, CSV export and system page."""

import csv
import io
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from contracts import rules
from contracts.models import System
from contracts.selectors import pricing_for, system_rows
from contracts.services import contract_book
from partnerxpress.core.tenancy import user_today
from tests.contracts.factories import bulk_systems, system_in_status, system_renewing_on
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

LIST = "/contracts/"


def serials(response) -> list[str]:
    return [row.system.serial_number for row in response.context["rows"]]


def test_home_counts_each_status_and_links_into_the_filtered_list(client, alice, acme_systems):
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.by_status == dict.fromkeys(rules.Status, 1)
    assert overview.due == 1
    html = response.content.decode()
    # the "act now" figures and their lists leave out systems with a renewal decision (§1.8)
    assert f'href="{LIST}?status=grace&amp;sort=expiry&amp;decision=none"' in html
    assert f'href="{LIST}?expiring_within=90&amp;sort=expiry&amp;decision=none"' in html
    for status in rules.Status:
        assert f'href="{LIST}?status={status.value}"' in html
    assert "<svg" in html and "Renew-by dates" in html


def test_home_figures_are_cached_until_a_booking_changes_them(client, alice, acme_systems, today):
    client.force_login(alice)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("home"))
    with CaptureQueriesContext(connection) as again:
        cached = client.get(reverse("home")).context["overview"]
    assert len(again) == len(first) - 1  # the count over every system is not run again
    assert cached.by_status[rules.Status.EXPIRING] == 1

    contract_book(system=acme_systems["expiring"], kind="renewal", booked_on=today, term_months=12)
    overview = client.get(reverse("home")).context["overview"]
    assert overview.by_status[rules.Status.EXPIRING] == 0
    assert overview.by_status[rules.Status.COVERED] == 2


def test_home_chart_counts_renew_by_dates_per_month(client, alice, acme_systems, today):
    client.force_login(alice)
    months = dict(client.get(reverse("home")).context["overview"].renew_by_months)
    expected = {}
    for row in system_rows(System.objects.select_related("product", "release"), today):
        if row.coverage.renewable:
            first = row.coverage.renew_by.replace(day=1)
            if first in months:
                expected[first] = expected.get(first, 0) + 1
    assert {month: count for month, count in months.items() if count} == expected
    # Each month's bar links to exactly its systems.
    for month, count in months.items():
        response = client.get(LIST, {"renew_by_month": f"{month:%Y-%m}"})
        assert response.context["page"].count == count


def test_home_without_contracts_access_shows_no_contract_data(client, carol, acme_systems):
    client.force_login(carol)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Request access" in html
    assert "overview" not in response.context
    assert "ACME-" not in html


def test_contracts_list_shows_each_row_from_the_exact_rules(client, alice, acme_systems, today):
    client.force_login(alice)
    response = client.get(LIST)
    assert response.status_code == 200
    rows = {row.system.serial_number: row for row in response.context["rows"]}
    assert set(rows) == {system.serial_number for system in acme_systems.values()}
    for status, system in acme_systems.items():
        assert rows[system.serial_number].coverage.status == status
    expiring = rows["ACME-EXPIRING"].coverage
    html = response.content.decode()
    assert rules.STATUS_LABELS[rules.Status.EXPIRING] in html
    assert date_format(expiring.renew_by) in html
    # Grouped by customer: one heading per customer, in name order.
    assert html.index(">Globex<") < html.index(">Initech<")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "grace"}, {"ACME-GRACE"}),
        ({"status": ["covered", "pending"]}, {"ACME-COVERED", "ACME-PENDING"}),
        ({"expiring_within": "90"}, {"ACME-EXPIRING"}),
        ({"expiring_within": "1000"}, {"ACME-EXPIRING", "ACME-COVERED"}),
        ({"product": "RightFax"}, {"ACME-INELIGIBLE"}),
        ({"q": "acme-lap"}, {"ACME-LAPSED"}),
        ({"q": "initech"}, {"ACME-LAPSED", "ACME-NEVER", "ACME-INELIGIBLE"}),
        ({"q": "initech", "status": "never"}, {"ACME-NEVER"}),
    ],
)
def test_contracts_list_filters_and_searches(client, alice, acme_systems, params, expected):
    client.force_login(alice)
    response = client.get(LIST, params)
    assert set(serials(response)) == expected
    assert response.context["page"].count == len(expected)  # counted, or from home's figures


def test_a_status_filter_takes_its_total_from_the_home_figures(
    client, alice, acme, acme_systems, today
):
    bulk_systems(CustomerFactory(reseller=acme, name="Umbrella"), 60, today)
    client.force_login(alice)
    client.get(reverse("home"))  # the figures are cached now
    for status in rules.Status:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(LIST, {"status": status.value}).context["page"]
        exact = sum(
            1
            for system in System.objects.filter(reseller=acme).select_related("product")
            if system.status_on(today) == status
        )
        assert page.count == exact
        assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)


def test_contracts_list_filters_by_customer(client, alice, acme_systems):
    client.force_login(alice)
    initech = acme_systems["never"].customer
    assert set(serials(client.get(LIST, {"customer": initech.pk}))) == {
        "ACME-LAPSED",
        "ACME-NEVER",
        "ACME-INELIGIBLE",
    }


@pytest.mark.parametrize("sort", ["expiry", "-expiry"])
def test_contracts_list_sorts_by_expiry_with_the_undated_last_both_ways(
    client, alice, acme_systems, sort
):
    client.force_login(alice)
    listed = serials(client.get(LIST, {"sort": sort}))
    ends = [System.objects.get(serial_number=serial).chain_ends_on for serial in listed]
    dated = [end for end in ends if end is not None]
    assert dated == sorted(dated, reverse=sort.startswith("-"))
    assert ends[: len(dated)] == dated  # RightFax and never covered (no end) last
    assert {"ACME-NEVER", "ACME-INELIGIBLE"} <= set(listed[len(dated) :])


def test_contracts_list_pages_through_every_system_once(client, alice, acme, today):
    bulk_systems(CustomerFactory(reseller=acme, name="Hooli"), 120, today)
    client.force_login(alice)
    seen = []
    for number in (1, 2, 3):
        page = client.get(LIST, {"page": number}).context["page"]
        seen += [system.serial_number for system in page.items]
    assert len(seen) == len(set(seen)) == 120
    assert page.num_pages == 3 and not page.has_next


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "bogus"}, "not one of the available choices"),
        ({"status": ["covered", "<script>"]}, "not one of the available choices"),
        ({"product": "Nope"}, "Select a valid choice"),
        ({"customer": "abc"}, "Select a valid choice"),
        ({"customer": "999999999"}, "Select a valid choice"),
        ({"expiring_within": "soon"}, "Enter a number"),
        ({"expiring_within": "-5"}, "greater than or equal to 0"),
        ({"expiring_within": "1e309"}, "less than or equal to 3650"),
        ({"expiring_within": "99999999999"}, "less than or equal to 3650"),
        ({"sort": "DROP TABLE"}, "Select a valid choice"),
        ({"renew_by_month": "2027-13"}, "Enter a month as YYYY-MM."),
        ({"page": "99999999999999999999"}, "There is no page"),
        ({"page": "-3"}, "Pages are numbered from 1"),
        ({"page": "two"}, "is not a page number"),
        ({"q": "x" * 500}, "at most 100 characters"),
        ({"q": "nul\x00byte"}, "Null characters are not allowed"),
    ],
)
def test_bad_input_gives_a_normal_page_with_a_clear_message(
    client, alice, acme_systems, params, message
):
    client.force_login(alice)
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("q", ["%", "_", "%_%", "'; --", "\\", "ünïcødé ✓", "   ", "a" * 100])
def test_odd_search_strings_match_literally(client, alice, acme_systems, q):
    client.force_login(alice)
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    if q.strip():
        assert serials(response) == []  # LIKE wildcards are escaped, not patterns
    export = client.get(reverse("contracts:export"), {"q": q})
    assert export.status_code == 200


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_has_exactly_the_filtered_rows_with_rule_values(
    client, alice, acme_systems, today
):
    client.force_login(alice)
    params = {"status": ["grace", "expiring"], "sort": "expiry"}
    response = client.get(reverse("contracts:export"), params)
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [row["serial_number"] for row in rows] == serials(client.get(LIST, params))
    grace = next(row for row in rows if row["serial_number"] == "ACME-GRACE")
    coverage = rules.coverage_on(
        [c.purchase.period for c in acme_systems["grace"].contracts.all()], eligible=True, on=today
    )
    assert grace["status"] == "grace"
    assert grace["coverage_ends_on"] == coverage.ends_on.isoformat()
    assert grace["renew_by"] == coverage.renew_by.isoformat()


def test_csv_export_of_everything_lists_every_system(client, alice, acme, acme_systems, today):
    bulk_systems(CustomerFactory(reseller=acme, name="Hooli"), 2100, today)  # over one chunk
    client.force_login(alice)
    rows = read_csv(client.get(reverse("contracts:export")))
    assert len(rows) == len({row["serial_number"] for row in rows}) == 2107


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, alice, acme, today):
    system_in_status(acme, "covered", today, customer="=HYPERLINK(1)", serial_number="F-1")
    client.force_login(alice)
    (row,) = read_csv(client.get(reverse("contracts:export")))
    assert row["customer"] == "'=HYPERLINK(1)"


def test_system_page_says_the_status_in_words_and_quotes_every_term(
    client, alice, acme_systems, today
):
    client.force_login(alice)
    system = acme_systems["grace"]
    response = client.get(reverse("system", args=[system.serial_number]))
    assert response.status_code == 200
    coverage = response.context["coverage"]
    days = (today - coverage.ends_on).days
    html = response.content.decode()
    assert f"Expired {days} days ago — renew by" in html
    options = response.context["quote"].options
    assert [option.term_months for option in options] == list(rules.RENEWAL_TERMS)
    assert all(option.starts_on == coverage.ends_on + timedelta(days=1) for option in options)
    assert {t.name for t in response.templates} >= {
        "renewals/_system_actions.html",
        "incidents/_system_cases.html",
        "contracts/_system_letters.html",
    }
    for name in ("system", "entitlement", "coverage", "today", "user"):
        assert name in response.context


def test_system_page_lists_every_coverage_period(client, alice, acme, today):
    system = system_in_status(acme, "expiring", today, serial_number="HIST-1")
    from contracts.services import contract_book

    contract_book(system=system, kind="renewal", booked_on=today, term_months=12)
    client.force_login(alice)
    response = client.get(reverse("system", args=["HIST-1"]))
    assert len(response.context["contracts"]) == 2
    assert "XpressCare plan" in response.content.decode()


def test_system_page_of_a_lapsed_system_explains_why_there_is_no_quote(client, alice, acme_systems):
    client.force_login(alice)
    response = client.get(reverse("system", args=["ACME-LAPSED"]))
    assert response.context["quote"].options == ()
    assert rules.MESSAGES["renewal_too_late"] in response.content.decode()


def test_system_page_suggests_a_coterm_with_the_customers_other_systems(client, alice, acme, today):
    first = (today + relativedelta(months=2)).replace(day=1)
    this = system_renewing_on(acme, first, customer="Umbrella", serial_number="CO-1")
    system_renewing_on(
        acme, first + relativedelta(months=3), customer="Umbrella", serial_number="CO-2"
    )
    system_renewing_on(
        acme, first + relativedelta(months=1), customer="Other", serial_number="CO-3"
    )
    client.force_login(alice)
    quote = client.get(reverse("system", args=[this.serial_number])).context["quote"]
    assert {line.serial_number: line.term_months for line in quote.coterm_lines} == {
        "CO-1": 15,
        "CO-2": 12,
    }
    assert quote.coterm_ends_on == first + relativedelta(months=15) - timedelta(days=1)


def test_system_page_shows_upgrade_eligibility_and_required_add_ons(client, alice, acme, today):
    system_in_status(
        acme, "covered", today, serial_number="UP-1", version="7.5", um_clients=80, tts_channels=2
    )
    client.force_login(alice)
    response = client.get(reverse("system", args=["UP-1"]))
    html = response.content.decode()
    assert response.context["entitlement"].upgrade_to == "8.1"
    assert "no-charge upgrade from 7.5 to <strong>8.1</strong>" in html
    assert "XpressCare for UM clients: 80 clients" in html
    assert "XpressCare for text-to-speech: 2 channels" in html


def test_an_unknown_serial_number_is_404(client, alice, acme_systems):
    client.force_login(alice)
    assert client.get(reverse("system", args=["NOPE-1"])).status_code == 404


def test_dates_are_written_the_way_the_users_region_writes_them(client, alice, bob, acme, today):
    """One style per language, whatever the browser says: US English in NA, UK in EMEA."""
    system_in_status(acme, "covered", today, serial_number="LANG-1")
    system_in_status(bob.reseller, "covered", user_today(bob), serial_number="LANG-2")
    us, uk = (System.objects.get(serial_number=f"LANG-{n}").chain_ends_on for n in (1, 2))
    for user, serial, written in [
        (alice, "LANG-1", f"{us:%b} {us.day}, {us.year}"),  # e.g. Mar 1, 2027
        (bob, "LANG-2", f"{uk.day} {uk:%b %Y}"),  # e.g. 1 Mar 2027
    ]:
        client.force_login(user)
        for browser in ("en-GB", "en-US"):
            html = client.get(reverse("system", args=[serial]), HTTP_ACCEPT_LANGUAGE=browser)
            assert f"Covered until {written}" in html.content.decode()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_issue_the_same_queries_for_10_systems_and_for_2000(client, alice, acme, today):
    customer = CustomerFactory(reseller=acme, name="Massive Dynamic")
    bulk_systems(customer, 10, today, prefix="Q")
    client.force_login(alice)
    urls = [
        LIST,
        f"{LIST}?status=covered&sort=expiry",
        f"{LIST}?q=massive&page=2",
        reverse("system", args=["Q-00003"]),
        reverse("home"),
    ]
    few = [count_queries(client, url) for url in urls]
    bulk_systems(customer, 1990, today, prefix="R")  # the same customer: 2,000 co-term candidates
    many = [count_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= 14


def test_csv_add_on_columns_show_what_the_current_period_includes_and_needs(
    client, alice, acme, today
):
    system_in_status(acme, "covered", today, serial_number="ADD-1", um_clients=80, tts_channels=2)
    system_in_status(acme, "never", today, serial_number="ADD-2", tts_channels=1)
    client.force_login(alice)
    rows = {row["serial_number"]: row for row in read_csv(client.get(reverse("contracts:export")))}
    columns = [
        "includes_um_coverage",
        "includes_tts_coverage",
        "requires_um_coverage",
        "requires_tts_coverage",
    ]
    assert [rows["ADD-1"][column] for column in columns] == ["true"] * 4
    assert [rows["ADD-2"][column] for column in columns] == ["false", "false", "false", "true"]
    assert rows["ADD-2"]["status"] == "never" and rows["ADD-2"]["coverage_ends_on"] == ""


def test_contracts_list_rows_equal_the_exact_rules_with_their_price_and_add_ons(
    client, alice, acme, acme_systems, today
):
    system_in_status(acme, "covered", today, serial_number="ADD-1", um_clients=80, tts_channels=2)
    client.force_login(alice)
    listed = {row.system.serial_number: row for row in client.get(LIST).context["rows"]}
    pricing = pricing_for(acme, today)
    exact = system_rows(System.objects.select_related("product", "release"), today)
    assert set(listed) == {row.system.serial_number for row in exact}
    for row in exact:
        shown = listed[row.system.serial_number]
        assert shown.entitlement == row.entitlement  # from the summary columns: the same
        contract = row.contract
        add_ons = (contract.covers_um_clients, contract.covers_tts) if contract else (False, False)
        assert (shown.covers_um_clients, shown.covers_tts) == add_ons
        price = pricing.renewal(row.system) if row.coverage.renewable else None
        assert shown.renewal_price == price


def test_the_unfiltered_list_takes_its_total_from_the_home_figures_but_staff_count(
    client, alice, olivia, acme_systems, bob_system
):
    client.force_login(alice)
    client.get(reverse("home"))  # the figures are cached now
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST).context["page"]
    assert page.count == len(acme_systems)
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)
    client.force_login(olivia)  # staff see every reseller's systems
    assert client.get(LIST).context["page"].count == len(acme_systems) + 1


def test_contracts_list_escapes_a_customer_name_in_headings_and_cells(client, alice, acme, today):
    system_in_status(acme, "covered", today, customer='<b>"Q" & Co</b>', serial_number="ESC-1")
    client.force_login(alice)
    for sort in ("customer", "serial"):  # a heading per customer, or a customer column
        html = client.get(LIST, {"sort": sort}).content.decode()
        assert "&lt;b&gt;&quot;Q&quot; &amp; Co&lt;/b&gt;" in html
        assert '<b>"Q"' not in html
