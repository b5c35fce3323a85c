"""The SQL status filter agrees with the status rule for random histories and dates."""

import contextlib
import random
from datetime import date, timedelta

import pytest

from contracts import rules
from contracts.coverage_sql import systems_with_status
from contracts.models import Contract, System
from contracts.services import contract_book
from partnerxpress.core.errors import RuleViolation


@pytest.mark.django_db
def test_sql_status_matches_the_rule_on_random_histories(acme, make_system):
    rng = random.Random(20261126)
    today = date(2026, 11, 26)
    for n in range(80):
        product = "RightFax" if n % 20 == 0 else "CallXpress"
        system = make_system(
            acme, product=product, release="10.0" if product == "RightFax" else "8.0"
        )
        on = today - timedelta(days=rng.randrange(0, 1500))
        for _ in range(rng.randrange(0, 5)):
            kind = rng.choice(list(rules.PurchaseKind))
            with contextlib.suppress(RuleViolation):
                contract_book(
                    system=system,
                    kind=kind,
                    booked_on=on,
                    term_months=rng.choice(rules.TERMS[kind]),
                )
            on += timedelta(days=rng.randrange(0, 500))
    systems = list(System.objects.select_related("product"))
    periods = {
        s.pk: [c.purchase.period for c in Contract.objects.filter(system=s)] for s in systems
    }
    seen = set()
    for offset in range(-400, 400, 13):
        on = today + timedelta(days=offset)
        for status in rules.Status:
            in_sql = set(
                systems_with_status(System.objects.all(), status, on).values_list("pk", flat=True)
            )
            by_rule = {
                s.pk
                for s in systems
                if rules.coverage_on(
                    periods[s.pk], eligible=s.product.is_xpresscare_eligible, on=on
                ).status
                == status
            }
            assert in_sql == by_rule, (status, on)
            seen |= {status} if by_rule else set()
    assert seen == set(rules.Status)  # the data exercised every status
