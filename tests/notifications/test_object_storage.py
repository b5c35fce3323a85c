"""Files in object storage (issue 16): a web machine and a worker machine share a bucket.

Against a real S3-compatible server on loopback (moto in server mode), with the storages the
settings make of a deployment's variables.
"""

import io
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contracts.models import Letter
from contracts.services.letters import letter_request
from contracts.tasks import letter_generate_task
from notifications.models import Email
from tests.conftest import IN_CI, need_service
from tests.factories import StaffFactory
from tests.services import Bucket, Worker, settings_read_with


@pytest.fixture
def contract(alice, make_due):
    """Alice's contract that ends 20 days from today."""
    return make_due(alice.reseller, 1, on=timezone.now().date())[0].contracts.get()


def generated(contract, user) -> Letter:
    """A letter made the way a worker makes it: the request, then the task's body."""
    letter = letter_request(contract=contract, user=user)
    letter_generate_task(letter.pk)
    letter.refresh_from_db()
    return letter


def fetch(url: str) -> tuple[int, dict, bytes]:
    """GET `url` as a browser would, outside Django's test client."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read()


def test_files_stay_on_the_local_disk_until_a_bucket_is_named():
    embedded = settings_read_with({})["STORAGES"]
    deployed = settings_read_with(
        {"AWS_STORAGE_BUCKET_NAME": "letters", "AWS_S3_ENDPOINT_URL": "http://minio:9000"}
    )["STORAGES"]

    assert embedded["private"]["BACKEND"] == "notifications.storage.PrivateFileSystemStorage"
    assert embedded["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert deployed["private"]["BACKEND"] == "notifications.s3.PrivateS3Storage"
    assert deployed["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = deployed["private"]["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == ("letters", "http://minio:9000")
    assert (options["location"], options["querystring_expire"]) == ("private", 60)
    assert options["file_overwrite"] is False  # a second file gets a new name, as on disk


@pytest.mark.django_db
def test_a_letter_is_made_into_the_bucket_and_alice_gets_it_by_a_short_lived_signed_address(
    client, bucket, contract, alice, settings
):
    # given a letter made by the task, with the storages on the bucket
    letter = generated(contract, alice)

    # then the PDF and the e-mail's copy are objects in the bucket, and nothing is on the disk
    email = Email.objects.get(kind="confirmation-letter")
    assert bucket.object_keys() == sorted(
        [f"private/letters/{letter.file.name}", email.attachment.name]
    )
    assert bucket.read(f"private/letters/{letter.file.name}").startswith(b"%PDF")
    assert not settings.MEDIA_ROOT.exists()
    assert letter.file.url == ""  # no address of its own, signed or not

    # when alice downloads it from the portal
    client.force_login(alice)
    response = client.get(reverse("contracts:letter-download", args=[letter.pk]))

    # then she is sent to the object by an address signed for a minute
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    address = response["Location"]
    assert address.startswith(f"{bucket.server.endpoint}/{bucket.name}/private/letters/")
    signed = parse_qs(urlsplit(address).query)
    assert signed["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert signed["X-Amz-Expires"] == ["60"]
    status, headers, body = fetch(address)
    assert status == 200 and body.startswith(b"%PDF")
    assert headers["Content-Disposition"] == f'attachment; filename="{letter.filename}"'
    # and the object itself, unsigned, is refused: the signature is what lets her in
    assert fetch(address.split("?")[0])[0] == 403


@pytest.mark.django_db
def test_a_letter_of_another_reseller_is_a_404_with_no_address(
    client, bucket, contract, alice, bob
):
    letter = generated(contract, alice)
    client.force_login(bob)

    response = client.get(reverse("contracts:letter-download", args=[letter.pk]))

    assert response.status_code == 404 and "Location" not in response


@pytest.mark.django_db
def test_the_signed_address_lasts_as_long_as_the_settings_say(
    client, bucket, contract, alice, settings
):
    bucket.use(settings, AWS_QUERYSTRING_EXPIRE="5")
    letter = generated(contract, alice)
    client.force_login(alice)

    address = client.get(reverse("contracts:letter-download", args=[letter.pk]))["Location"]

    # moto does not refuse an expired address (S3 and MinIO do): what it was signed for shows
    signed = parse_qs(urlsplit(address).query)
    assert signed["X-Amz-Expires"] == ["5"]
    signed_at = datetime.strptime(signed["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - signed_at).total_seconds()) < 5  # from now, for 5 seconds


@pytest.mark.django_db
def test_without_signed_addresses_the_file_passes_through_the_app(
    client, bucket, contract, alice, settings
):
    # the browser cannot reach the endpoint (MinIO inside docker-compose's network)
    bucket.use(settings, AWS_QUERYSTRING_AUTH="false")
    letter = generated(contract, alice)
    client.force_login(alice)

    response = client.get(reverse("contracts:letter-download", args=[letter.pk]) + "?inline=1")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_admin_opens_a_letter_in_the_bucket_with_a_link_to_the_checked_view(
    client, bucket, contract, alice
):
    letter = generated(contract, alice)
    client.force_login(StaffFactory(username="root", is_superuser=True))

    page = client.get(reverse("admin:contracts_letter_change", args=[letter.pk]))

    assert page.status_code == 200
    assert reverse("contracts:letter-download", args=[letter.pk]) in page.content.decode()
    assert bucket.server.endpoint not in page.content.decode()


@pytest.mark.worker
def test_a_worker_on_another_disk_makes_the_letter_the_web_serves(
    transactional_db, client, bucket, contract, alice, smtp_server, tmp_path, settings
):
    # given a worker process whose disk is not this process's: only the bucket is shared
    from partnerxpress.celery import app

    if IN_CI:
        need_service(app.conf.broker_url.startswith("redis://"), "CI runs the worker on Redis")
    app.control.purge()
    worker_disk = tmp_path / "worker-disk"
    worker = Worker(
        smtp_port=smtp_server.port,
        environment={**bucket.environment, "MEDIA_ROOT": str(worker_disk)},
    )
    worker.start()
    try:
        # when alice asks for the letter on the portal
        client.force_login(alice)
        client.post(reverse("contracts:letter-request", args=[contract.pk]))
        letter = Letter.objects.get(contract=contract)
        deadline = time.monotonic() + 60
        while letter.status != Letter.Status.READY and time.monotonic() < deadline:
            time.sleep(0.2)
            letter.refresh_from_db()
    finally:
        worker.stop()

    # then the web process serves what the worker stored, and neither disk holds it
    assert letter.status == Letter.Status.READY, letter.last_error
    address = client.get(reverse("contracts:letter-download", args=[letter.pk]))["Location"]
    status, _, body = fetch(address)
    assert status == 200 and body.startswith(b"%PDF")
    assert not settings.MEDIA_ROOT.exists()
    assert not any(path.is_file() for path in worker_disk.rglob("*"))


def test_the_bucket_command_makes_a_missing_bucket_once(s3_server, settings):
    wanted = Bucket(s3_server, f"px-new-{uuid.uuid4().hex[:8]}")
    wanted.use(settings)
    out = io.StringIO()

    call_command("storage_bucket_create", stdout=out)
    call_command("storage_bucket_create", stdout=out)

    assert wanted.name in [b["Name"] for b in s3_server.client().list_buckets()["Buckets"]]
    assert out.getvalue().splitlines() == [
        f"Bucket {wanted.name}: created.",
        f"Bucket {wanted.name}: already there.",
    ]


def test_the_bucket_command_does_nothing_for_files_on_disk(settings):
    out = io.StringIO()
    call_command("storage_bucket_create", stdout=out)
    assert "local disk" in out.getvalue()
