import sys

from django.core.management.base import BaseCommand, CommandError

from contracts.importer import ImportFailed, xpresscare_import


class Command(BaseCommand):
    help = "Import legacy XpressCare data from a CSV file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file with the header of SPEC §6.1")

    def handle(self, *args, **options):
        try:
            with open(options["file"], newline="", encoding="utf-8-sig") as csv_file:
                total = sum(1 for _ in csv_file) - 1
                csv_file.seek(0)
                report = xpresscare_import(csv_file, progress=self._progress(total))
        except OSError as problem:
            raise CommandError(f"cannot read {options['file']}: {problem.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{options['file']} is not UTF-8 text.") from None
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(error)
            raise CommandError(f"nothing imported: {len(failed.errors)} wrong row(s).") from None
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _progress(self, total: int):
        """A progress line on a terminal, redrawn every 1,000 rows; nothing when piped."""
        if not sys.stderr.isatty() or total < 1000:
            return None

        def show(done: int) -> None:
            if done % 1000 == 0 or done == total:
                sys.stderr.write(f"\r{done:,}/{total:,} rows ({done * 100 // total}%)")
                if done == total:
                    sys.stderr.write("\n")
                sys.stderr.flush()

        return show
