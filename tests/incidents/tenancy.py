"""Objects of the support pages' URLs, for tests/test_tenancy_portal.py (see its docstring)."""

import importlib

from django.apps import apps
from django.utils import timezone

from incidents.services import case_open
from partnerxpress.core.tenancy import user_today
from tests.contracts.factories import system_in_status
from tests.factories import UserFactory

defaults_migration = importlib.import_module("incidents.migrations.0002_defaults")


def a_case(user) -> dict:
    """A system-down case (accepted at any hour) on a never-covered system of user's reseller."""
    defaults_migration.install(apps, None)  # business hours of regions made after migrating
    technician = UserFactory(
        reseller=user.reseller, is_certified_technician=True, certification_expires_on=None
    )
    system = system_in_status(user.reseller, "never", user_today(user))
    case = case_open(
        user=technician,
        system=system,
        severity="system_down",
        summary="System down",
        contact_phone="1",
        now=timezone.now(),
    )
    return {"pk": case.pk}


OBJECTS = {
    "incidents:case": a_case,
}
