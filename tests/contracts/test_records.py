"""Customers, products and systems are written by services; saving a model writes its row only."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contracts.models import Customer, Product, Release, Reseller, System
from contracts.services import (
    contract_book,
    customer_update,
    product_update,
    system_create,
    system_delete,
    system_update,
)
from partnerxpress.core.errors import RuleViolation
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def version(reseller: Reseller) -> int:
    return Reseller.objects.get(pk=reseller.pk).coverage_version


@pytest.fixture
def covered(acme, make_system):
    system = make_system(acme, serial_number="CX-IMP-0001")
    contract_book(system=system, kind="plan", booked_on=date(2026, 1, 1), term_months=12)
    return System.objects.get(pk=system.pk)


def test_saving_a_model_writes_nothing_but_its_own_row(acme, make_system):
    system = make_system(acme, customer="Globex")
    before = version(acme)
    customer = Customer.objects.get(name="Globex")
    customer.name = "Globex Corporation"
    customer.save()
    system.refresh_from_db()
    assert system.customer_name == "Globex"  # only customer_update renames the systems
    system.um_clients = 80
    system.save()
    assert version(acme) == before


def test_a_new_system_copies_its_customer_and_says_coverage_changed(acme, releases):
    before = version(acme)
    system = system_create(
        serial_number="CX-NEW",
        customer=CustomerFactory(reseller=acme, name="Initech"),
        release=releases["Seneca 5.1"],
    )
    assert (system.reseller, system.customer_name, system.product.name) == (
        acme,
        "Initech",
        "Seneca",
    )
    assert version(acme) == before + 1
    assert system.history.get().history_type == "+"


def test_a_release_of_another_product_is_refused_on_the_release(acme, releases):
    with pytest.raises(RuleViolation) as refused:
        system_create(
            serial_number="CX-NEW",
            customer=CustomerFactory(reseller=acme),
            product=releases["CallXpress 8.0"].product,
            release=releases["RightFax 10.0"],
        )
    assert refused.value.field == "release"
    assert not System.objects.filter(serial_number="CX-NEW").exists()


def test_renaming_a_customer_renames_its_systems_for_sorting(acme, make_system):
    system = make_system(acme, customer="Globex")
    customer_update(customer=system.customer, name="Globex Corporation")
    system.refresh_from_db()
    assert system.customer_name == "Globex Corporation"


def test_a_customer_with_systems_stays_with_its_reseller(acme, brightline, make_system):
    system = make_system(acme, customer="Globex")
    with pytest.raises(RuleViolation, match="cannot move to another"):
        customer_update(customer=system.customer, reseller=brightline)
    assert Customer.objects.get(pk=system.customer_id).reseller == acme


def test_a_system_with_contracts_keeps_its_product(covered, releases):
    before = version(covered.reseller)
    with pytest.raises(RuleViolation, match="its product cannot change"):
        system_update(
            system=covered,
            product=releases["RightFax 10.0"].product,
            release=releases["RightFax 10.0"],
        )
    assert System.objects.get(pk=covered.pk).product.name == "CallXpress"
    assert version(covered.reseller) == before


def test_a_system_without_contracts_may_be_corrected_to_another_product(
    acme, make_system, releases
):
    system = make_system(acme)
    before = version(acme)
    system_update(
        system=system, product=releases["Seneca 5.0"].product, release=releases["Seneca 5.0"]
    )
    assert System.objects.get(pk=system.pk).product.name == "Seneca"
    assert version(acme) == before + 1


def test_a_system_with_contracts_moves_only_within_its_reseller(covered, brightline):
    elsewhere = CustomerFactory(reseller=brightline, name="Wayne")
    with pytest.raises(RuleViolation, match="same reseller"):
        system_update(system=covered, customer=elsewhere)
    sibling = CustomerFactory(reseller=covered.reseller, name="Globex West")
    system_update(system=covered, customer=sibling)
    covered.refresh_from_db()
    assert (covered.customer, covered.customer_name) == (sibling, "Globex West")


def test_a_change_never_writes_back_a_stale_coverage_summary(acme, make_system):
    system = make_system(acme)
    stale = System.objects.get(pk=system.pk)  # loaded before the booking, as a form would be
    contract_book(system=system, kind="plan", booked_on=date(2026, 1, 1), term_months=12)
    system_update(system=stale, um_clients=80)
    system.refresh_from_db()
    assert (system.um_clients, system.chain_ends_on) == (80, date(2026, 12, 31))


def test_a_system_with_contracts_is_never_deleted(covered):
    with pytest.raises(RuleViolation, match="coverage history cannot be deleted"):
        system_delete(system=covered)
    assert System.objects.filter(pk=covered.pk).exists()


def test_a_system_in_an_order_is_not_deleted_and_the_refusal_says_why(alice, make_system):
    from renewals.services import LineRequest, order_submit

    system = make_system(alice.reseller, serial_number="CX-ORD")
    order_submit(user=alice, kind="plan", po_number="PO-1", lines=[LineRequest("CX-ORD", 12)])
    with pytest.raises(RuleViolation, match="CX-ORD cannot be deleted: it has order lines"):
        system_delete(system=system)


def test_deleting_a_system_recorded_in_error_says_coverage_changed(acme, make_system):
    system = make_system(acme)
    before = version(acme)
    system_delete(system=system)
    assert not System.objects.filter(pk=system.pk).exists()
    assert version(acme) == before + 1


def test_eligibility_is_fixed_once_a_product_has_contracts(covered):
    with pytest.raises(RuleViolation, match="cannot change"):
        product_update(product=covered.product, is_xpresscare_eligible=False)
    assert Product.objects.get(pk=covered.product_id).is_xpresscare_eligible


def test_changing_eligibility_of_a_product_without_contracts_says_coverage_changed(
    acme, make_system
):
    seneca = make_system(acme, product="Seneca", release="5.0").product
    before = version(acme)
    product_update(product=seneca, is_xpresscare_eligible=False)
    assert version(acme) == before + 1


def test_an_invalid_release_number_is_a_validation_error_on_its_field(releases):
    release = Release(product=releases["CallXpress 8.0"].product, version="eight-two")
    with pytest.raises(ValidationError) as invalid:
        release.full_clean()
    assert "is not a release number like 8.1" in invalid.value.message_dict["version"][0]


def test_two_systems_may_not_differ_by_the_case_of_their_serial_number_alone(acme, make_system):
    make_system(acme, serial_number="CX-CASE-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_system(acme, serial_number="cx-case-1")
