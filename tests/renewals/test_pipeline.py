"""The renewal pipeline page (SPEC §2): its figures are the contracts list's and the outcomes'."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import System
from contracts.selectors import pricing_for
from contracts.services import contract_book, renewal_decision_record
from renewals.outcomes import outcome_counts, outcome_counts_by_month
from renewals.pipeline import pipeline_get
from renewals.rules.outcomes import Outcome
from tests.contracts.factories import system_in_status
from tests.factories import ResellerFactory

PIPELINE = reverse("renewals:pipeline")
LIST = reverse("contracts:list")
D = date.fromisoformat
NOW = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def today(alice):
    return alice.reseller.region.today_now()


@pytest.fixture
def acme_book(acme, alice, today):
    """Acme's systems: 40 ending every 11 days (the last ones ended already), two needing
    add-ons, one decided."""
    for number in range(40):
        system = system_in_status(acme, "never", today, serial_number=f"P-{number:02d}")
        contract_book(
            system=system,
            kind="plan",
            booked_on=today - timedelta(days=11 * number),
            term_months=12,
        )
    system_in_status(acme, "expiring", today, serial_number="UM-1", um_clients=80)
    system_in_status(acme, "expiring", today, serial_number="TTS-1", tts_channels=2)
    decided = system_in_status(acme, "expiring", today, serial_number="DEC-1")
    renewal_decision_record(
        system=decided, user=alice, kind="will_not_renew", reason="decommissioned", today=today
    )


def listed(client, query: str) -> list[str]:
    """The serial numbers XpressCare Contracts lists for a query (all on its first page)."""
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.count == len(page.items)
    return [system.serial_number for system in page.items]


@pytest.mark.django_db
def test_each_month_is_what_the_contracts_list_shows_for_it(client, alice, acme, acme_book, today):
    pipeline = pipeline_get(acme, today)
    pricing = pricing_for(acme, today)
    client.force_login(alice)
    assert [month.month for month in pipeline.upcoming] == [
        today.replace(day=1) + relativedelta(months=n) for n in range(12)
    ]
    assert pipeline.upcoming_total.systems > 12
    for month in pipeline.upcoming:
        query = f"ends_month={month.month:%Y-%m}"
        serials = listed(client, query)
        assert month.systems == len(serials)
        decided = "decision=will_not_renew&decision=remind_later"
        assert month.decided == len(listed(client, f"{query}&{decided}"))
        systems = System.objects.filter(serial_number__in=serials)
        assert month.value == sum(
            (pricing.renewal(system).net_price for system in systems), Decimal("0.00")
        )
    assert pipeline.upcoming_total.decided == 1


@pytest.mark.django_db
def test_each_past_figure_links_to_its_opportunities(client, alice, acme, acme_book, today, book):
    renewed = System.objects.get(serial_number="P-37")  # ended about 42 days ago
    book(renewed, "renewal", renewed.chain_ends_on, 12)  # booked on its end date: on time
    client.force_login(alice)
    pipeline = client.get(PIPELINE).context["pipeline"]
    first = pipeline.past[0][0]
    by_month = outcome_counts_by_month(acme, first, today.replace(day=1) - timedelta(days=1), today)
    assert {month: counts for month, counts in pipeline.past if any(counts.counts.values())} == (
        by_month
    )
    shown = 0
    for month, counts in pipeline.past:
        for outcome in Outcome:
            response = client.get(
                reverse("renewals:opportunities"),
                {"month": f"{month:%Y-%m}", "outcome": outcome.value},
            )
            assert response.context["page"].count == counts.counts[outcome]
            shown += counts.counts[outcome]
    assert shown >= 4
    assert pipeline.past_total.counts[Outcome.ON_TIME] == 1


@pytest.mark.django_db
def test_staff_choose_a_reseller_and_resellers_only_see_their_own(
    client, olivia, alice, bob, acme, acme_book
):
    client.force_login(olivia)
    assert "Acme Voice" in client.get(PIPELINE).content.decode()  # the choice
    page = client.get(PIPELINE, {"reseller": acme.account_number})
    assert page.context["pipeline"].reseller == acme
    assert f"&amp;reseller={acme.account_number}" in page.content.decode()  # links keep it
    month = f"{page.context['pipeline'].upcoming[1].month:%Y-%m}"
    listed_for_staff = client.get(LIST, {"ends_month": month, "reseller": acme.account_number})
    client.force_login(alice)
    assert listed_for_staff.context["page"].count == len(listed(client, f"ends_month={month}"))
    assert client.get(PIPELINE, {"reseller": bob.reseller.account_number}).status_code == 404
    not_bobs = client.get(LIST, {"reseller": bob.reseller.account_number})
    assert "reseller" in not_bobs.context["filter"].errors  # not applied, and said so
    assert not_bobs.context["page"].count == len(listed(client, ""))
    bad = client.get(reverse("renewals:opportunities"), {"month": "2026-13", "outcome": "won"})
    assert bad.status_code == 400


def pipeline_queries(client) -> list[int]:
    counts = []
    for url in [PIPELINE, f"{reverse('renewals:opportunities')}?month=2026-10&outcome=lapsed"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


@pytest.mark.django_db
def test_the_pages_issue_the_same_queries_for_40_systems_and_for_400(
    client, alice, acme, acme_book, today
):
    client.force_login(alice)
    few = pipeline_queries(client)
    for number in range(360):
        system_in_status(
            acme, "expiring", today - timedelta(days=number), serial_number=f"Q{number}"
        )
    assert pipeline_queries(client) == few
    assert max(few) <= 12


@pytest.mark.django_db
def test_the_back_office_ranks_resellers_by_on_time_rate(
    admin_client, acme, brightline, acme_book, today, book
):
    renewed = System.objects.get(serial_number="P-37")
    book(renewed, "renewal", renewed.chain_ends_on, 12)  # acme: one on time, lapsed ones
    ranking = reverse("admin:renewals_resellerstanding_changelist")
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(ranking)
    assert page.status_code == 200
    standings = list(page.context["page"].object_list)
    assert [standing.reseller for standing in standings] == [acme, brightline]  # none: last
    first, last = page.context["first"], page.context["last"]
    assert (first, last) == (D("2025-12-01"), D("2026-11-30"))
    assert standings[0].outcomes == outcome_counts(acme, first, last, today)
    assert standings[0].upcoming.systems == pipeline_get(acme, today).upcoming_total.systems
    assert standings[1].outcomes.rate is None
    assert f"?reseller={acme.account_number}" in page.content.decode()
    few = len(queries)
    ResellerFactory.create_batch(10, region=brightline.region)
    with CaptureQueriesContext(connection) as queries:
        assert len(admin_client.get(ranking).context["page"].object_list) == 12
    assert len(queries) == few

    chosen = admin_client.get(ranking, {"start": "2026-11", "end": "2026-11"})
    assert (chosen.context["first"], chosen.context["last"]) == (D("2026-11-01"), D("2026-11-30"))
    backwards = admin_client.get(ranking, {"start": "2026-11", "end": "2026-01"})
    assert "no later than the last one" in backwards.content.decode()
    assert backwards.context["first"] == first  # the default period instead


@pytest.mark.django_db
def test_the_opportunities_address_alone_leads_to_the_pipeline(client, alice):
    client.force_login(alice)
    response = client.get(reverse("renewals:opportunities"))
    assert (response.status_code, response["Location"]) == (302, reverse("renewals:pipeline"))
    half = client.get(reverse("renewals:opportunities"), {"month": "2026-13"})
    assert half.status_code == 400
