"""`manage.py seed_demo`: the logins of SPEC §6.4, every status today, what users did; twice is once."""

import pytest
from django.core.management import call_command
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from contracts import rules
from contracts.models import Contract, RenewalDecision, Reseller, System, User
from incidents.models import Case
from notifications.models import Email
from renewals.models import Order
from upgrades.models import Bulletin, Download


def counts() -> dict[str, int]:
    models = [
        *(Reseller, User, System, Contract, RenewalDecision),
        *(Order, Case, Bulletin, Download, Email),
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_the_demo_has_the_logins_every_status_and_activity_and_loads_once():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first

    users = {user.username: user for user in User.objects.select_related("reseller")}
    assert set(users) == {"staff", "na-rep", "emea-rep", "na-viewer"}
    assert users["staff"].is_superuser and users["staff"].reseller is None
    assert users["na-rep"].reseller.region.code == "NA"
    assert users["emea-rep"].reseller.region.code == "EMEA"
    assert users["na-viewer"].reseller == users["na-rep"].reseller
    assert not users["na-viewer"].has_contracts_access
    assert all(user.check_password("partnerxpress") for user in users.values())

    for reseller in Reseller.objects.select_related("region"):
        today = reseller.region.today(timezone.now())
        systems = System.objects.filter(reseller=reseller).select_related("product")
        assert {system.status_on(today) for system in systems} == set(rules.Status)
        orders = Order.objects.filter(reseller=reseller)
        assert set(orders.values_list("state", flat=True)) == {
            "booked",
            "submitted",
            "rejected",
            "installed",
        }
        several = [order for order in orders if order.lines.count() > 1]
        assert several and several[0].state == "submitted"  # a multi-system renewal
        assert all(order.total is not None for order in orders)  # every order is priced
        decisions = RenewalDecision.objects.filter(system__reseller=reseller)
        assert set(decisions.values_list("kind", flat=True)) == {"will_not_renew", "remind_later"}
        assert not decisions.filter(system__order_lines__isnull=False).exists()
        cases = Case.objects.filter(reseller=reseller)
        assert set(cases.values_list("status", flat=True)) == {"open", "closed"}
        assert cases.filter(kind="per_incident", amount__gt=0).exists()  # a closed case's bill
        closed = cases.filter(status="closed")
        assert not closed.filter(closed_at__gt=timezone.now()).exists()  # never in the future
        assert not closed.filter(closed_at__lt=F("opened_at")).exists()
    assert Bulletin.objects.filter(published_at__isnull=False).count() == 1
    # every system was installed before its coverage began; XpressCare bought new, on the day
    first = Contract.objects.filter(system=OuterRef("pk")).order_by("starts_on")
    systems = System.objects.annotate(
        first_start=Subquery(first.values("starts_on")[:1]),
        first_kind=Subquery(first.values("kind")[:1]),
        first_booked=Subquery(first.values("booked_on")[:1]),
    ).exclude(first_start=None)
    assert not systems.filter(installed_on__gt=F("first_start")).exists()
    new = systems.filter(first_kind="new_purchase")
    assert new.exists() and not new.exclude(installed_on=F("first_booked")).exists()
    discounts = dict(Reseller.objects.values_list("account_number", "discount_percent"))
    assert discounts["R-2001"] > 0 == discounts["R-1001"]  # one demo reseller has a discount
