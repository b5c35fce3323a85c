"""Every admin page opens, and the booking and import pages go through the same services."""

from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse

from contracts.models import Contract
from contracts.services import contract_book
from tests.factories import StaffFactory


@pytest.fixture
def superuser(db):
    return StaffFactory(username="root", is_superuser=True)


@pytest.fixture
def populated(acme, alice, make_system):
    system = make_system(acme)
    contract_book(system=system, kind="plan", booked_on=date(2026, 1, 1), term_months=12)
    return system


@pytest.mark.django_db
def test_every_admin_list_add_and_change_page_opens(client, superuser, populated):
    client.force_login(superuser)
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        assert client.get(reverse(f"{prefix}_changelist")).status_code == 200, meta.label
        assert client.get(reverse(f"{prefix}_changelist"), {"q": "x"}).status_code == 200
        if model_admin.has_add_permission(_request(superuser)):
            assert client.get(reverse(f"{prefix}_add")).status_code == 200, meta.label
        first = model.objects.first()
        if first is not None:
            assert client.get(reverse(f"{prefix}_change", args=[first.pk])).status_code == 200
            if hasattr(model, "history"):
                assert client.get(reverse(f"{prefix}_history", args=[first.pk])).status_code == 200


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.django_db
def test_booking_in_admin_applies_the_rules_and_shows_the_refusal(client, superuser, populated):
    client.force_login(superuser)
    url = reverse("admin:contracts_contract_add")
    form = {
        "system": populated.pk,
        "kind": "renewal",
        "booked_on": "2027-03-01",
        "term_months": "12",
        "po_number": "PO-9",
    }
    refused = client.post(url, form)
    assert "Coverage ended more than 30 days ago" in refused.content.decode()
    accepted = client.post(url, {**form, "booked_on": "2026-12-01"}, follow=True)
    assert "Booked XC-" in accepted.content.decode()
    renewal = Contract.objects.get(kind="renewal")
    assert (renewal.starts_on, renewal.ends_on) == (date(2027, 1, 1), date(2027, 12, 31))
    assert renewal.history.get().history_user == superuser


@pytest.mark.django_db
def test_the_admin_import_lists_every_wrong_row(client, superuser, releases):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.contracts.test_import import GOOD, HEADER

    client.force_login(superuser)
    bad = GOOD[0].replace(",NA,", ",XX,")
    upload = SimpleUploadedFile("x.csv", "\n".join([HEADER, GOOD[2], bad]).encode())
    page = client.post(reverse("admin:contracts_import"), {"file": upload}).content.decode()
    assert "Nothing was imported: 1 wrong row." in page
    assert "line 3: region “XX” must be NA or EMEA." in page
    upload = SimpleUploadedFile("x.csv", "\n".join([HEADER, *GOOD]).encode())
    done = client.post(reverse("admin:contracts_import"), {"file": upload}, follow=True)
    assert "5 purchases booked" in done.content.decode()


@pytest.mark.django_db
def test_deleting_a_contract_in_admin_recomputes_the_system(client, superuser, populated):
    client.force_login(superuser)
    contract = Contract.objects.get()
    client.post(reverse("admin:contracts_contract_delete", args=[contract.pk]), {"post": "yes"})
    populated.refresh_from_db()
    assert populated.chain_ends_on is None


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["new_purchase", "plan", "upgrade"])
def test_every_first_purchase_kind_can_be_booked_in_admin(
    client, superuser, acme, make_system, kind
):
    client.force_login(superuser)
    system = make_system(acme, release="7.5")
    form = {"system": system.pk, "kind": kind, "booked_on": "2026-03-01", "term_months": "12"}
    client.post(reverse("admin:contracts_contract_add"), form)
    assert Contract.objects.get(system=system).kind == kind
