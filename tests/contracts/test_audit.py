"""Every admin action and every write to the records is in a history: who, what, when."""

from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from contracts.importer import xpresscare_import
from contracts.models import Contract, System
from contracts.services import contract_book, contract_cancel
from tests.contracts.test_import import GOOD, HEADER
from tests.factories import StaffFactory


@pytest.fixture
def staff(db):
    return StaffFactory(username="root", is_superuser=True)


@pytest.mark.django_db
def test_an_import_records_new_and_edited_systems_but_not_coverage_only_changes(releases):
    xpresscare_import([HEADER, *GOOD])
    cx1 = System.objects.get(serial_number="CX-1")
    assert [row.history_type for row in cx1.history.all()] == ["+"]

    xpresscare_import([HEADER, *GOOD])  # the same file again: nothing changes
    more_clients = GOOD[1].replace(",20,2,renewal,", ",30,2,renewal,")
    xpresscare_import([HEADER, more_clients])
    assert [(row.history_type, row.um_clients) for row in cx1.history.all()] == [
        ("~", 30),
        ("+", 20),
    ]
    assert System.history.filter(history_type="~").count() == 1


@pytest.mark.django_db
def test_booking_and_cancelling_leave_no_empty_system_records(acme, make_system):
    system = make_system(acme)
    contract = contract_book(system=system, kind="plan", booked_on=date(2026, 1, 5), term_months=12)
    booked = contract.pk
    contract_cancel(contract=contract)
    assert system.history.count() == 1  # created; coverage changes are the contracts' history
    records = Contract.history.filter(id=booked).order_by("history_date")
    assert [row.history_type for row in records] == ["+", "-"]


@pytest.mark.django_db
def test_a_paid_upgrade_moves_the_release_and_that_is_recorded(acme, make_system):
    system = make_system(acme, release="7.5")
    contract_book(system=system, kind="upgrade", booked_on=date(2026, 1, 5), term_months=12)
    changed = system.history.filter(history_type="~").get()
    assert changed.release.version == "8.1"


@pytest.mark.django_db
def test_an_admin_edit_is_recorded_with_the_staff_member(client, staff, acme):
    client.force_login(staff)
    url = reverse("admin:contracts_reseller_change", args=[acme.pk])
    form = {
        "account_number": acme.account_number,
        "name": "Acme Voice & Data",
        "region": acme.region_id,
        "sales_representative": acme.sales_representative_id,
        "is_active": "on",
        "discount_percent": "0",
    }
    assert client.post(url, form).status_code == 302
    record = acme.history.latest()
    assert (record.name, record.history_user) == ("Acme Voice & Data", staff)
    assert (
        client.get(reverse("admin:contracts_reseller_history", args=[acme.pk])).status_code == 200
    )


@pytest.mark.django_db
def test_an_admin_action_is_logged_per_selected_object(client, staff, carol, alice):
    client.force_login(staff)
    response = client.post(
        reverse("admin:contracts_user_changelist"),
        {"action": "grant_contracts_access", "_selected_action": [carol.pk, alice.pk]},
    )
    assert response.status_code == 200  # asks first: nothing done, nothing logged
    assert not LogEntry.objects.filter(action_flag=CHANGE, user=staff).exists()
    response = client.post(
        reverse("admin:contracts_user_changelist"),
        {
            "action": "grant_contracts_access",
            "_selected_action": [carol.pk, alice.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    entries = LogEntry.objects.filter(action_flag=CHANGE, user=staff)
    assert {entry.object_id for entry in entries} == {str(carol.pk), str(alice.pk)}
    assert {entry.change_message for entry in entries} == {
        "Action: Grant XpressCare Contracts access"
    }
    log = client.get(reverse("admin:admin_logentry_changelist")).content.decode()
    assert "Action: Grant XpressCare Contracts access" in log
    assert client.get(reverse("admin:admin_logentry_add")).status_code == 403
