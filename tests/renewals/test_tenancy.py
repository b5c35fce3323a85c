"""Every order address answers another reseller's object with a 404, like a missing one.

The portal's tenancy walker (tests/test_tenancy_portal.py) uses the OBJECTS of
tests/renewals/tenancy.py and tests/upgrades/tenancy.py; the last test here runs them too.
"""

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from tests.renewals.tenancy import OBJECTS as RENEWALS_OBJECTS
from tests.upgrades.tenancy import OBJECTS as UPGRADES_OBJECTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs(bob, brightline, make_system, book, place, today):
    """Brightline's customer, system and order, which alice (Acme) must never reach."""
    system = make_system(brightline, customer="Umbrella", serial_number="CX-BOB")
    book(system, "plan", today - relativedelta(months=6))
    order = place(bob, "renewal", "PO-B", ("CX-BOB", 12))
    return {"system": system, "order": order}


def test_bobs_objects_are_404_for_alice_at_every_order_address(client, alice, bobs):
    client.force_login(alice)
    system, order = bobs["system"], bobs["order"]
    addresses = [
        reverse("renewals:order", args=[order.pk]),
        reverse("renewals:renewal_new", args=[system.customer_id]),
        reverse("renewals:plan_new") + "?serial=CX-BOB",
        reverse("renewals:upgrade_new") + "?serial=CX-BOB",
        reverse("renewals:no_charge_upgrade_new") + "?serial=CX-BOB",
    ]
    for address in addresses:
        assert client.get(address).status_code == 404, address
    assert (
        client.post(reverse("renewals:renewal_new", args=[system.customer_id])).status_code == 404
    )
    assert "CX-BOB" not in client.get(reverse("renewals:orders")).content.decode()
    found = client.get(reverse("renewals:order_start"), {"serial": "CX-BOB"}).content.decode()
    assert "No system with this serial number is registered to you." in found


def test_bob_sees_his_own_order(client, bob, bobs):
    client.force_login(bob)
    assert client.get(reverse("renewals:order", args=[bobs["order"].pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, bobs):
    answer = client.get(reverse("renewals:order", args=[bobs["order"].pk]))
    assert answer.status_code == 302 and answer.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    "name, build", [*RENEWALS_OBJECTS.items(), *UPGRADES_OBJECTS.items()], ids=lambda x: str(x)
)
def test_each_registered_object_of_bob_is_404_for_alice(
    client, alice, bob, releases, settings, tmp_path, name, build
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse(name, kwargs=build(bob))
    client.force_login(bob)
    assert client.get(url).status_code == 200
    client.force_login(alice)
    assert client.get(url).status_code == 404
