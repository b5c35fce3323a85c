"""Private files in a bucket of S3 or a compatible server (MinIO, …), shared by every machine.

Imported only when the settings choose it (AWS_STORAGE_BUCKET_NAME), so a process on the
embedded default never loads boto3.
"""

from __future__ import annotations

import posixpath

from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage


@deconstructible(path="notifications.s3.PrivateS3Storage")
class PrivateS3Storage(S3Storage):
    """Objects under `location`/`folder` of a private bucket; no address but a signed one."""

    def __init__(self, folder: str = "", **options) -> None:
        location = options.pop("location", "")
        super().__init__(location=posixpath.join(location, folder).strip("/"), **options)

    def url(self, name: str, parameters=None, expire=None, http_method=None) -> str:
        return ""  # as on disk: a signed address is only for a caller a view has checked

    def signed_url(self, name: str, *, filename: str, as_attachment: bool = True) -> str | None:
        """An address that reads this one object for `querystring_expire` seconds; None when
        the settings turned signing off (the browser cannot reach the bucket)."""
        if not self.querystring_auth:
            return None
        disposition = content_disposition_header(as_attachment, filename)
        return super().url(name, parameters={"ResponseContentDisposition": disposition})


def bucket_ensure(storage: S3Storage) -> bool:
    """Create the storage's bucket if it is missing (a new MinIO); True when it was created."""
    from botocore.exceptions import ClientError

    client = storage.connection.meta.client
    try:
        client.head_bucket(Bucket=storage.bucket_name)
        return False
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in {"404", "NoSuchBucket"}:
            raise  # there but not ours, or no right to look: creating it would fail too
    region = client.meta.region_name
    options = {}
    if region not in {None, "us-east-1"}:  # us-east-1 is the one S3 refuses a constraint for
        options["CreateBucketConfiguration"] = {"LocationConstraint": region}
    client.create_bucket(Bucket=storage.bucket_name, **options)
    return True
