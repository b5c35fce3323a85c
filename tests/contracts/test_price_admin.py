"""Staff edit prices in admin; bad input gets a message and changes nothing (SPEC §1.7)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import PriceListEntry, Product, Reseller, TermDiscount
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(StaffFactory(username="root", is_superuser=True))


def entry(**changes) -> dict:
    return {
        "product": Product.objects.get(name="CallXpress").pk,
        "currency": "USD",
        "effective_from": "2027-01-01",
        "xpresscare_annual": "1300.00",
        "um_client_annual": "6.00",
        "tts_channel_annual": "150.00",
        "upgrade": "2600.00",
        **changes,
    }


def test_staff_add_a_price_list_entry_that_takes_over_from_its_date(client, root, acme):
    answer = client.post(reverse("admin:contracts_pricelistentry_add"), entry())
    assert answer.status_code == 302
    added = PriceListEntry.objects.get(effective_from="2027-01-01")
    assert added.history.count() == 1


def test_a_negative_price_is_refused_with_a_message(client, root, acme):
    answer = client.post(reverse("admin:contracts_pricelistentry_add"), entry(upgrade="-1.00"))
    assert answer.status_code == 200
    assert "A price cannot be negative." in answer.content.decode()
    assert not PriceListEntry.objects.filter(effective_from="2027-01-01").exists()


def test_a_reseller_discount_outside_0_to_50_is_refused(client, root, acme):
    url = reverse("admin:contracts_reseller_change", args=[acme.pk])
    form = {
        "account_number": acme.account_number,
        "name": acme.name,
        "region": acme.region_id,
        "sales_representative": acme.sales_representative_id,
        "is_active": "on",
        "discount_percent": "50.01",
    }
    answer = client.post(url, form)
    assert answer.status_code == 200
    assert "less than or equal to 50" in answer.content.decode()
    assert Reseller.objects.get(pk=acme.pk).discount_percent == Decimal(0)
    assert client.post(url, {**form, "discount_percent": "50"}).status_code == 302


def test_a_term_discount_of_100_percent_is_refused(client, root, acme):
    answer = client.post(
        reverse("admin:contracts_termdiscount_add"), {"term_months": 12, "percent": "100"}
    )
    assert answer.status_code == 200
    assert not TermDiscount.objects.filter(term_months=12).exists()
