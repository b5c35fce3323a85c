"""Objects of the upgrades pages, for the portal tenancy walker (tests/test_tenancy_portal.py).

A download belongs to a release, not to a reseller; it is the user's when their reseller has a
covered system on that release (and another reseller's user, without one, gets a 404).
"""

from django.core.files.base import ContentFile

from tests.renewals.tenancy import covered_system
from upgrades.models import Download


def a_download(user) -> dict:
    system = covered_system(user)
    download = Download(release=system.release, kind="hot_fix", title="Hot fix 1")
    download.file.save("hot-fix-1.zip", ContentFile(b"PK"))
    return {"pk": download.pk}


OBJECTS = {
    "upgrades:download_file": a_download,
}
