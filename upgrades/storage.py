"""Where downloads are kept: on disk outside any public address, served only by a checked view."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="upgrades.storage.PrivateFileStorage")
class PrivateFileStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private with no URL of their own.

    Nothing serves MEDIA_ROOT, and `url()` gives no address either, so a file only leaves
    through `upgrades.views.download_file`, which checks who is asking.
    """

    @cached_property
    def base_location(self) -> str:
        # Read when first used (and again if a test changes MEDIA_ROOT), not at import.
        return os.path.join(settings.MEDIA_ROOT, "private")

    def url(self, name: str) -> str:
        return ""  # no public address; forms then show no link (admin shows the checked one)


private_files = PrivateFileStorage()
