"""manage.py generate_letters: generate every requested confirmation letter still missing."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from contracts.models import Letter
from contracts.services.letters import letter_generate, letter_missing_ids


class Command(BaseCommand):
    help = "Generates, in this process, every requested confirmation letter that is still missing."

    def handle(self, *args, **options) -> None:
        generated = failed = 0
        for letter_id in letter_missing_ids(grace=timedelta(0)):
            try:
                generated += letter_generate(letter_id)
            except Exception as error:
                failed += 1
                self.stderr.write(f"letter {letter_id}: {error}")
        given_up = Letter.objects.filter(status=Letter.Status.FAILED).count()
        self.stdout.write(f"Letters generated: {generated}; failed now: {failed}.")
        if given_up:
            self.stdout.write(f"{given_up} letter(s) failed for good: regenerate them in admin.")
        if failed:
            raise CommandError("Some letters could not be generated.")
