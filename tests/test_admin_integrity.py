"""No admin route changes an order's state, a contract's dates or a case's bill except through
its service (issue 18).

The walk POSTs to every admin address of every model admin, for every object and every version
of it (History's Revert included), with the page's own form data and the governed fields
tampered with; and runs every changelist action on every object, answering its confirmation.
Only the routes and actions listed in SERVICES may change what is governed: each calls the
service named beside it, which applies the rules.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract, Customer, Release, System
from incidents.models import Case, TimeEntry
from renewals.models import Order, OrderLine
from tests.factories import CustomerFactory
from tests.test_admin_pages import _pattern_urls
from upgrades.models import Bulletin

pytestmark = pytest.mark.django_db

SERVICES = {  # URL name or action → the service that makes the change
    "renewals_order_decide": "renewals.services.order_book / order_reject",
    "renewals_order_ship": "renewals.services.order_ship",
    "renewals_order_install": "renewals.services.order_install",
    "incidents_case_time": "incidents.services.time_entry_add",
    "incidents_case_close": "incidents.services.case_close",
    "contracts_contract_add": "contracts.services.contract_book",
    "contracts_contract_delete": "contracts.services.contract_cancel",
    "contracts_import": "contracts.importer.xpresscare_import",
    "action:book_selected": "renewals.services.order_book",
    "action:publish": "upgrades.services.bulletin_publish",
    "action:contract.delete_selected": "contracts.services.contract_cancel",
}


def governed() -> dict:
    """What only services may change: orders' states, contracts' dates, cases' bills, and the
    product and coverage of systems with contracts; published bulletins."""
    covered = System.objects.filter(contracts__isnull=False).distinct()
    return {
        "orders": sorted(
            Order.objects.values_list(
                "pk", "state", "booked_on", "rejected_at", "shipping_charge", "installed_on"
            )
        ),
        "lines": sorted(OrderLine.objects.values_list("pk", "contract_id", "target_release_id")),
        "contracts": sorted(
            Contract.objects.values_list(
                "pk", "system_id", "kind", "booked_on", "starts_on", "ends_on", "term_months"
            )
        ),
        "cases": sorted(
            Case.objects.values_list(
                "pk",
                "status",
                "kind",
                "hourly_rate",
                "minutes_worked",
                "billable_minutes",
                "amount",
            )
        ),
        "time": sorted(TimeEntry.objects.values_list("pk", "case_id", "minutes")),
        "systems": sorted(
            covered.values_list(
                "pk",
                "product_id",
                "reseller_id",
                "chain_starts_on",
                "chain_ends_on",
                "prior_chain_starts_on",
                "prior_chain_ends_on",
            )
        ),
        "bulletins": sorted(
            Bulletin.objects.filter(published_at__isnull=False).values_list(
                "pk", "release_id", "title", "text", "published_at"
            )
        ),
    }


def tampered() -> dict:
    """Values a form might carry for the governed fields: all of them wrong."""
    rightfax = Release.objects.get(product__name="RightFax")
    return {
        "state": "submitted",
        "booked_on": "2020-01-01",
        "starts_on": "2020-01-01",
        "ends_on": "2030-12-31",
        "term_months": "36",
        "status": "open",
        "amount": "0.01",
        "billable_minutes": "1",
        "minutes_worked": "1",
        "minutes": "1",
        "product": rightfax.product_id,
        "release": rightfax.pk,
        "customer": CustomerFactory(reseller__account_number="R-9001", name="Elsewhere").pk,
        "title": "Changed",
        "text": "Changed",
    }


def form_data(response) -> dict:
    """The data a browser would post back from an admin form page, as it stands."""
    data: dict = {}
    context = response.context or {}
    if context.get("adminform"):
        _add_form(data, context["adminform"].form)
    for inline in context.get("inline_admin_formsets") or []:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    return data


def _add_form(data: dict, form) -> None:
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[form.add_prefix(name)] = "on" if value is True else value


def posts(model, model_admin, objects) -> Iterator[tuple[str, str]]:
    """(URL name, address) of every admin address of a model, for every object and version."""
    for pattern in model_admin.get_urls():
        if getattr(pattern, "name", None):
            for url in _pattern_urls(pattern, model, objects):
                yield pattern.name, url


class _Undo(Exception):
    """Rolls back what one POST did, so every address is tried against the whole back office."""


def changes_governed(client, url: str, data: dict) -> bool:
    before = governed()
    try:
        with transaction.atomic():
            response = client.post(url, data)
            assert response.status_code < 500, (url, response.status_code)
            after = governed()
            raise _Undo
    except _Undo:
        pass
    return after != before


def variants(data: dict, tamper: dict) -> Iterator[dict]:
    """The page's data with every governed field wrong at once, then each one alone (so a
    field refused for another reason cannot hide one that would have been saved)."""
    yield {**data, **tamper, "post": "yes"}
    for key in data:
        field = key.rsplit("-", 1)[-1]
        if field in tamper:
            yield {**data, key: tamper[field], "post": "yes"}


def test_no_admin_address_changes_governed_records_except_through_a_service(client, back_office):
    client.force_login(back_office.root)
    client.raise_request_exception = False
    tamper = tampered()
    changed = []
    for model, model_admin in admin.site._registry.items():
        for name, url in posts(model, model_admin, list(model._default_manager.all())):
            if name in SERVICES:
                continue
            data = form_data(client.get(url))
            if any(changes_governed(client, url, post) for post in variants(data, tamper)):
                changed.append(url)
    assert changed == []


def test_no_admin_action_changes_governed_records_except_through_a_service(client, back_office):
    client.force_login(back_office.root)
    changed = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        request = client.get(changelist).wsgi_request
        pks = [str(pk) for pk in model._default_manager.values_list("pk", flat=True)]
        for action in model_admin.get_actions(request):
            if {f"action:{action}", f"action:{meta.model_name}.{action}"} & set(SERVICES):
                continue
            data = {"action": action, ACTION_CHECKBOX_NAME: pks, "post": "yes"}
            if changes_governed(client, changelist, data):
                changed.append(f"{meta.label}: {action}")
    assert changed == []


def test_reverting_a_booked_order_to_its_first_version_is_refused(client, back_office):
    order = back_office.booked
    created = order.history.earliest()
    url = reverse("admin:renewals_order_simple_history", args=[order.pk, created.history_id])
    client.force_login(back_office.root)
    page = client.get(url)
    assert page.status_code == 200 and "Revert" not in page.content.decode()
    assert client.post(url, form_data(page)).status_code == 403
    order.refresh_from_db()
    assert order.state == "booked" and order.lines.get().contract is not None


def test_the_form_data_reader_posts_what_a_browser_would(client, back_office):
    # A control for the walk above: an ordinary change posted this way is saved.
    customer = Customer.objects.get(name="Globex")
    url = reverse("admin:contracts_customer_change", args=[customer.pk])
    client.force_login(back_office.root)
    data = {**form_data(client.get(url)), "country": "Canada"}
    assert client.post(url, data).status_code == 302
    customer.refresh_from_db()
    assert customer.country == "Canada"


def test_booking_from_admin_changes_coverage_through_the_service(client, back_office):
    # And a service route does change it: the submitted upgrade is booked with the rules.
    order = back_office.submitted
    client.force_login(back_office.root)
    url = reverse("admin:renewals_order_decide", args=[order.pk])
    today = order.reseller.region.today(timezone.now())
    client.post(url, {"decision": "book", "booked_on": today.isoformat()})
    order.refresh_from_db()
    assert order.state == "booked" and order.lines.get().contract.kind == "upgrade"
