"""The scheduled jobs through a real Celery worker, real broker and a real SMTP server.

Each test fires the tasks as beat would (`.delay()`), lets a worker process run them and reads
what reached the SMTP server on loopback.
"""

import subprocess
import time
from collections import Counter
from datetime import timedelta
from email.message import Message
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from contracts.models import Letter
from contracts.services.letters import letter_request
from notifications.models import Email
from notifications.tasks import email_sweep_task
from renewals.models import DigestRun
from renewals.services.digests import digest_runs_settle
from renewals.tasks import digest_schedule_task
from tests.factories import ResellerFactory, UserFactory

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
pytestmark = pytest.mark.worker


@pytest.fixture
def resellers(olivia, make_due, settings):
    """A number of resellers, each with one representative and systems due today."""
    # Representatives never log in here: skip the deliberately slow password hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def make(count: int, systems: int = 2) -> list:
        made = []
        today = timezone.now().date()
        for number in range(count):
            reseller = ResellerFactory(
                account_number=f"R-{5000 + number}",
                name=f"Reseller {number:03d}",
                region__code="NA" if number % 2 else "EMEA",
                sales_representative=olivia,
            )
            UserFactory(
                username=f"rep{number}",
                first_name=f"Rep{number}",
                reseller=reseller,
                is_contract_representative=True,
            )
            make_due(reseller, systems, customer=f"Customer {number}", on=today)
            made.append(reseller)
        return made

    return make


def wait_until(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def recipients(messages: list[Message]) -> Counter:
    return Counter(message["To"] for message in messages)


def html_of(message: Message) -> str:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/html"]
    return part.get_payload(decode=True).decode()


@pytest.mark.browser
def test_the_monthly_job_fired_twice_sends_each_e_mail_once(
    celery_worker, smtp_server, resellers, chromium
):
    made = resellers(6)
    # Beat fires twice (a restart right after a send replays the last tick).
    digest_schedule_task.delay()
    digest_schedule_task.delay()
    messages = smtp_server.inbox.wait_for(6, timeout=60)
    time.sleep(2)  # anything duplicated would arrive now
    messages = list(smtp_server.inbox.messages)
    assert recipients(messages) == Counter({f"rep{n}@reseller.example": 1 for n in range(6)})
    assert Email.objects.filter(kind="renewal-digest", status="sent").count() == 6
    digest_runs_settle()
    assert set(DigestRun.objects.values_list("status", flat=True)) == {"sent"}
    # Read one as a representative would: text and HTML, the HTML rendered by Chromium.
    message = next(m for m in messages if m["To"] == "rep1@reseller.example")
    assert message["Subject"].startswith(f"XpressCare renewals for {made[1].name}, ")
    [text] = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    assert "Customer 1" in text.get_payload(decode=True).decode()
    ARTIFACTS.mkdir(exist_ok=True)
    tab = chromium.new_page(viewport={"width": 820, "height": 900})
    tab.set_content(html_of(message))
    assert tab.get_by_text("Expired recently — still renewable (1)").is_visible()
    tab.screenshot(path=str(ARTIFACTS / "digest-email.png"), full_page=True)
    tab.close()


def test_a_worker_killed_mid_run_finishes_after_restart_without_duplicate_or_loss(
    celery_worker, smtp_server, resellers
):
    made = resellers(40, systems=3)
    # While the worker is killed the SMTP server accepts nothing, so no e-mail can be half
    # delivered (accepted but not recorded): the only duplicate the outbox cannot rule out.
    smtp_server.inbox.refuse = True
    digest_schedule_task.delay()
    assert wait_until(lambda: DigestRun.objects.filter(status="queued").count() >= 4)
    celery_worker.kill()
    finished = DigestRun.objects.filter(status="queued").count()
    assert 0 < finished < len(made), "the kill should land mid-run"
    # What the dead worker left: runs not composed, e-mails waiting or claimed.
    assert DigestRun.objects.filter(status="pending").exists()
    smtp_server.inbox.refuse = False
    celery_worker.start()
    # Time passes: the dead worker's claims expire and the sweep's minute is up.
    now = timezone.now()
    Email.objects.update(created_at=now - timedelta(minutes=2))
    Email.objects.filter(status="sending").update(claimed_at=now - timedelta(minutes=11))
    # Beat's next ticks: the hourly digest job and the e-mail sweep.
    digest_schedule_task.delay()
    email_sweep_task.delay()
    assert wait_until(lambda: not DigestRun.objects.filter(status="pending").exists(), 60)
    email_sweep_task.delay()  # e-mails of runs composed after the restart are fresh: their own tasks
    messages = smtp_server.inbox.wait_for(len(made), timeout=90)
    time.sleep(2)
    messages = list(smtp_server.inbox.messages)
    assert recipients(messages) == Counter(
        {f"rep{n}@reseller.example": 1 for n in range(len(made))}
    )
    assert Email.objects.filter(status="sent").count() == len(made)


def test_with_smtp_down_then_up_every_digest_is_delivered_once(
    celery_worker, smtp_server, resellers
):
    resellers(3)
    smtp_server.inbox.refuse = True
    digest_schedule_task.delay()
    assert wait_until(lambda: Email.objects.filter(attempts__gte=1).count() == 3, 60)
    waiting = Email.objects.filter(kind="renewal-digest", status="pending")
    assert waiting.count() == 3
    assert all("Try again later" in email.last_error for email in waiting)  # shown in admin
    smtp_server.inbox.refuse = False
    messages = smtp_server.inbox.wait_for(3, timeout=60)
    time.sleep(1)
    assert recipients(smtp_server.inbox.messages) == Counter(
        {f"rep{n}@reseller.example": 1 for n in range(3)}
    )
    assert len(messages) == 3
    digest_runs_settle()
    assert set(DigestRun.objects.values_list("status", flat=True)) == {"sent"}


def test_a_letter_is_generated_by_the_worker_and_e_mailed_with_its_pdf(
    celery_worker, smtp_server, alice, make_due, tmp_path
):
    contract = make_due(alice.reseller, 1, on=timezone.now().date())[0].contracts.get()
    with transaction.atomic():
        letter_request(contract=contract, user=alice)
    [message] = smtp_server.inbox.wait_for(1, timeout=60)
    assert message["To"] == alice.email
    [attachment] = [part for part in message.walk() if part.get_filename()]
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(attachment.get_payload(decode=True))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True).stdout.decode()
    assert contract.system.serial_number in text and "Globex" in text
    letter = Letter.objects.get()
    assert (letter.status, letter.generations) == ("ready", 1)
    assert 0 < letter.render_ms < 5000
