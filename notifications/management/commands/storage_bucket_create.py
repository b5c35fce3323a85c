"""manage.py storage_bucket_create: the bucket for files, made if missing (docker-compose)."""

from django.core.management.base import BaseCommand

from notifications.storage import private_files


class Command(BaseCommand):
    help = (
        "Creates the bucket named by AWS_STORAGE_BUCKET_NAME when it is missing; does nothing "
        "when it is there, or when files are kept on the local disk."
    )

    def handle(self, *args, **options) -> None:
        name = getattr(private_files, "bucket_name", None)
        if name is None:
            self.stdout.write("Files are kept on the local disk (MEDIA_ROOT): no bucket.")
            return
        from notifications.s3 import bucket_ensure

        made = bucket_ensure(private_files)
        self.stdout.write(f"Bucket {name}: {'created' if made else 'already there'}.")
