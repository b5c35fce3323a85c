"""manage.py send_renewal_digests [--on YYYY-MM-DD] [--reseller ACCOUNT] (SPEC §6.4)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from renewals.models import DigestRun
from renewals.services.digests import (
    digest_emails_send,
    digest_runs_settle,
    digest_send_all,
)


class Command(BaseCommand):
    help = (
        "Does, in this process, what the monthly renewal e-mail job does for a date (default: "
        "each reseller's today). Running it twice in a month sends nothing the second time."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--on", type=date.fromisoformat, help="YYYY-MM-DD; default today")
        parser.add_argument("--reseller", metavar="ACCOUNT", help="only this reseller")

    def handle(self, *args, on: date | None, reseller: str | None, **options) -> None:
        outcomes = digest_send_all(on=on, account_number=reseller)
        if reseller and not outcomes:
            raise CommandError(f"No reseller with account number {reseller}.")
        for outcome in outcomes:
            account, run = outcome.reseller.account_number, outcome.run
            if run is None:
                self.stderr.write(f"{account}: failed: {outcome.error}")
                continue
            done = "" if outcome.composed else " (done before: nothing sent)"
            self.stdout.write(
                f"{account} {run.month:%Y-%m}: {run.get_status_display()}{done}. {run.reason}"
            )
        runs = [outcome.run for outcome in outcomes if outcome.run is not None]
        sent, failed = digest_emails_send(
            [run for run in runs if run.status == DigestRun.Status.QUEUED]
        )
        digest_runs_settle()
        self.stdout.write(f"E-mails sent: {sent}; not sent yet (will be retried): {failed}.")
        if failed or len(runs) < len(outcomes):
            raise CommandError("Some renewal e-mails failed; see above and the admin run log.")
