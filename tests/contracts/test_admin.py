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


# --- records staff keep (issue 18 items 2 and 5) ---------------------------------------------


def system_form(system, **changes) -> dict:
    form = {
        "serial_number": system.serial_number,
        "customer": system.customer_id,
        "product": system.product_id,
        "release": system.release_id,
        "installed_on": "2022-03-15",
        "um_clients": system.um_clients,
        "tts_channels": system.tts_channels,
        "contracts-TOTAL_FORMS": 0,
        "contracts-INITIAL_FORMS": 0,
    }
    return {**form, **changes}


@pytest.mark.django_db
def test_a_covered_system_cannot_become_rightfax_in_admin(client, superuser, populated, releases):
    client.force_login(superuser)
    url = reverse("admin:contracts_system_change", args=[populated.pk])
    rightfax = releases["RightFax 10.0"]
    page = client.post(
        url, system_form(populated, product=rightfax.product_id, release=rightfax.pk)
    )
    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert "its product cannot change" in errors["product"][0]
    populated.refresh_from_db()
    assert populated.product.name == "CallXpress"


@pytest.mark.django_db
def test_a_release_of_another_product_is_refused_on_the_system_form(
    client, superuser, populated, releases
):
    client.force_login(superuser)
    url = reverse("admin:contracts_system_change", args=[populated.pk])
    page = client.post(url, system_form(populated, release=releases["Seneca 5.1"].pk))
    assert "That is a Seneca release: choose a release of CallXpress." in page.content.decode()


@pytest.mark.django_db
def test_staff_change_a_system_through_the_service(client, superuser, populated, releases):
    client.force_login(superuser)
    url = reverse("admin:contracts_system_change", args=[populated.pk])
    answer = client.post(url, system_form(populated, release=releases["CallXpress 8.1"].pk))
    assert answer.status_code == 302
    populated.refresh_from_db()
    assert populated.release.version == "8.1" and populated.chain_ends_on == date(2026, 12, 31)
    assert populated.history.latest().history_user == superuser


@pytest.mark.django_db
def test_staff_add_a_system_for_a_customer(client, superuser, acme, releases):
    from contracts.models import Customer, System
    from tests.factories import CustomerFactory

    customer = CustomerFactory(reseller=acme, name="Initech")
    client.force_login(superuser)
    page = client.get(reverse("admin:contracts_customer_change", args=[customer.pk]))
    add = reverse("admin:contracts_system_add") + f"?customer={customer.pk}"
    assert add in page.content.decode()
    release = releases["Seneca 5.0"]
    form = {
        "serial_number": "SN-NEW-1",
        "customer": customer.pk,
        "product": release.product_id,
        "release": release.pk,
        "um_clients": 0,
        "tts_channels": 0,
        "contracts-TOTAL_FORMS": 0,
        "contracts-INITIAL_FORMS": 0,
    }
    assert client.post(reverse("admin:contracts_system_add"), form).status_code == 302
    system = System.objects.get(serial_number="SN-NEW-1")
    assert (system.reseller, system.customer_name) == (acme, "Initech")
    assert Customer.objects.get(pk=customer.pk).systems.count() == 1


@pytest.mark.django_db
def test_a_customers_systems_are_shown_not_edited_on_its_page(client, superuser, populated):
    client.force_login(superuser)
    page = client.get(reverse("admin:contracts_customer_change", args=[populated.customer_id]))
    html = page.content.decode()
    assert reverse("admin:contracts_system_change", args=[populated.pk]) in html
    assert 'name="systems-0-product"' not in html and 'name="systems-0-release"' not in html
    assert "systems-0-DELETE" not in html


@pytest.mark.django_db
def test_deleting_a_system_with_contracts_is_refused_with_the_reason(client, superuser, populated):
    client.force_login(superuser)
    url = reverse("admin:contracts_system_delete", args=[populated.pk])
    page = client.post(url, {"post": "yes"})
    assert "Cannot delete system" in page.content.decode()
    assert "XC-" in page.content.decode()  # the contracts that keep it
    populated.refresh_from_db()


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["eight-two", "8..2"])
def test_an_invalid_release_number_is_a_form_error(client, superuser, releases, version):
    from contracts.models import Release

    client.force_login(superuser)
    product = releases["CallXpress 8.0"].product
    page = client.post(
        reverse("admin:contracts_release_add"), {"product": product.pk, "version": version}
    )
    assert page.status_code == 200
    assert "is not a release number like 8.1 or 8.1.2." in page.content.decode()
    inline = {
        "name": product.name,
        "is_xpresscare_eligible": "on",
        "releases-TOTAL_FORMS": 1,
        "releases-INITIAL_FORMS": 0,
        "releases-0-version": version,
    }
    page = client.post(reverse("admin:contracts_product_change", args=[product.pk]), inline)
    assert page.status_code == 200
    assert "is not a release number like 8.1 or 8.1.2." in page.content.decode()
    assert not Release.objects.filter(version=version).exists()


@pytest.mark.django_db
def test_a_release_in_use_keeps_its_version(client, superuser, populated):
    client.force_login(superuser)
    release = populated.release
    url = reverse("admin:contracts_release_change", args=[release.pk])
    page = client.post(url, {"version": "9.0"})
    assert "its version cannot change" in page.content.decode()
    release.refresh_from_db()
    assert release.version == "8.0"


@pytest.mark.django_db
def test_cancelling_a_booking_made_in_error_takes_its_letter_with_it(
    client, superuser, populated, settings, tmp_path
):
    from contracts.models import Letter
    from contracts.services.letters import letter_generate, letter_request

    settings.MEDIA_ROOT = tmp_path
    contract = Contract.objects.get()
    letter_generate(letter_request(contract=contract, user=superuser).pk)
    client.force_login(superuser)
    url = reverse("admin:contracts_contract_delete", args=[contract.pk])
    assert "Confirmation letter" in client.get(url).content.decode()  # listed, not refused
    client.post(url, {"post": "yes"})
    assert not Contract.objects.exists() and not Letter.objects.exists()
    letter_page = client.get(reverse("admin:contracts_letter_changelist"))
    assert "Delete selected" not in letter_page.content.decode()
