"""Private files (letters, downloads): no public address; a view that checks who asks hands
them out, through `private_file_response`.

Where they live is `STORAGES["private"]`: a folder under MEDIA_ROOT, which only its own
machine sees (the embedded default), or a bucket of S3 or a compatible server that every web
and worker machine shares (`notifications.s3`, when AWS_STORAGE_BUCKET_NAME is set).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, cached_property, empty
from django.utils.module_loading import import_string


@deconstructible(path="notifications.storage.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """MEDIA_ROOT/private (or a folder in it) on the local disk; nothing serves MEDIA_ROOT."""

    def __init__(self, folder: str = "", **options) -> None:
        self.folder = folder
        super().__init__(**options)

    @cached_property
    def base_location(self) -> str:
        # Read when first used, and again when a test changes MEDIA_ROOT (FileSystemStorage
        # drops this cached value on that signal).
        return os.path.join(settings.MEDIA_ROOT, "private", self.folder)

    def url(self, name: str | None) -> str:
        # No address of its own. Not an error either: admin shows a field's url (a viewer's
        # read-only page, the upload widget), and "" shows no link; it links the checked view.
        return ""


class PrivateStorage(LazyObject):
    """`STORAGES["private"]` (in `folder` of it), made when first used.

    A model field keeps its storage for the life of the process; this proxy lets a test that
    changes STORAGES (to a bucket on a local S3 server) move every private file field with it.
    """

    _instances: list[PrivateStorage] = []  # a few, made at import; LazyObject proxies hash

    def __init__(self, folder: str = "") -> None:
        self.__dict__["_folder"] = folder  # LazyObject would set it on the wrapped storage
        super().__init__()
        PrivateStorage._instances.append(self)

    def _setup(self) -> None:
        config = settings.STORAGES["private"]
        backend = import_string(config["BACKEND"])
        self._wrapped = backend(folder=self._folder, **config.get("OPTIONS", {}))


@receiver(setting_changed)
def _private_storages_changed(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        for storage in PrivateStorage._instances:
            storage._wrapped = empty


private_files = PrivateStorage()


def private_storage() -> Storage:
    """The storage of private files, for `FileField(storage=…)` (a callable: migrations name
    it, not the backend the settings chose)."""
    return private_files


def private_file_response(
    file: FieldFile, *, filename: str, as_attachment: bool = True, content_type: str | None = None
) -> HttpResponse:
    """A private file for a caller the view has already checked.

    From a bucket that signs addresses: a redirect to one valid for a minute or so, so the
    bytes go straight from the bucket to the browser. Otherwise the bytes, through this process.
    """
    sign = getattr(file.storage, "signed_url", None)
    url = sign(file.name, filename=filename, as_attachment=as_attachment) if sign else None
    if url:
        response = HttpResponseRedirect(url)
        add_never_cache_headers(response)  # the address expires; the next visit needs a new one
        return response
    return FileResponse(
        file.open("rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
    )
