"""manage.py seed_demo (SPEC §6.4): in the project, since it loads every app's demo data."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from contracts.demo import RESELLERS, seed_decisions, seed_demo
from contracts.models import User
from incidents.demo import seed_cases
from renewals.demo import seed_orders
from upgrades.demo import seed_upgrades


class Command(BaseCommand):
    help = "Load the demo data and logins (idempotent; dates relative to today)."

    def handle(self, *args, **options):
        seed_demo()
        # What resellers and staff have done: orders, renewal decisions, support cases, a
        # bulletin and a download, each through the same services as the portal and admin.
        staff = User.objects.get(username="staff")
        for spec in RESELLERS:
            rep = User.objects.select_related("reseller__region").get(username=spec.user)
            with transaction.atomic():
                today = rep.reseller.region.today(timezone.now())
                seed_orders(rep, staff, today)
                seed_decisions(rep, today)
                seed_cases(rep, staff)
        with transaction.atomic():
            seed_upgrades(staff)
        logins = ", ".join(["staff", *(spec.user for spec in RESELLERS), "na-viewer"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Logins ({logins}) use the password partnerxpress."
            )
        )
