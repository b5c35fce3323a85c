from django.core.management.base import BaseCommand

from contracts.demo import RESELLERS, seed_demo


class Command(BaseCommand):
    help = "Load the demo data and logins (idempotent; dates relative to today)."

    def handle(self, *args, **options):
        seed_demo()
        logins = ", ".join(["staff", *(spec.user for spec in RESELLERS), "na-viewer"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Logins ({logins}) use the password partnerxpress."
            )
        )
