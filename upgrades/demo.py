"""Demo bulletin and download for `manage.py seed_demo`: the current CallXpress release."""

from __future__ import annotations

from django.core.files.base import ContentFile

from contracts.models import Release, User
from upgrades.models import Bulletin, Download
from upgrades.services import bulletin_publish


def seed_upgrades(staff: User) -> None:
    release = Release.objects.filter(product__name="CallXpress").order_by("-sort_key").first()
    if release is None or Bulletin.objects.filter(release=release).exists():
        return
    bulletin = Bulletin.objects.create(
        release=release,
        title=f"CallXpress {release.version} is available",
        text=(
            f"CallXpress {release.version} adds speech-enabled auto attendants, Microsoft 365 "
            "calendar integration and faster message delivery to e-mail. Systems under "
            "XpressCare upgrade at no charge: order the upgrade from the system's page."
        ),
        created_by=staff,
    )
    bulletin_publish(bulletin=bulletin, by=staff)
    download = Download(
        release=release,
        kind=Download.Kind.SERVICE_PACK,
        title=f"CallXpress {release.version} Service Pack 1",
        description="Fixes message waiting lamps on some PBX integrations; installs in minutes.",
    )
    download.file.save(
        f"callxpress-{release.version}-sp1-readme.txt",
        ContentFile(b"CallXpress service pack 1: run setup.exe on the message server.\n"),
        save=False,
    )
    download.save()
