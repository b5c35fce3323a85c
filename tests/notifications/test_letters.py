"""Confirmation letters: a PDF per contract version, private, e-mailed, never lost."""

import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract, Letter
from contracts.selectors.letters import system_letter_list
from contracts.services.letters import letter_generate, letter_request, letter_sweep
from notifications.models import Email
from notifications.pdf import ASSETS, LocalFilesOnly
from notifications.services import email_send
from tests.dates import us

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def contract(alice, make_due):
    """Alice's contract that ends 20 days from today."""
    today = timezone.now().date()
    systems = make_due(
        alice.reseller, 2, customer="Cascade Medical Center", um_clients=80, on=today
    )
    return systems[1].contracts.get()


def generated(contract, user, **options) -> Letter:
    letter = letter_request(contract=contract, user=user, **options)
    letter_generate(letter.pk)
    letter.refresh_from_db()
    return letter


def pdf_text(letter: Letter) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", letter.file.path, "-"], capture_output=True, check=True
    )
    return result.stdout.decode()


@pytest.mark.django_db
def test_a_letter_states_the_contract_and_looks_right(contract, alice):
    contract.po_number = "PO-48213"
    contract.save()
    letter = generated(contract, alice)
    assert (letter.status, letter.pages, letter.generations) == ("ready", 1, 1)
    text = pdf_text(letter)
    for expected in [
        "XpressCare Confirmation",
        "Cascade Medical Center",
        "1 Main Street, Springfield",
        contract.system.serial_number,
        "CallXpress 8.0",
        f"{us(contract.starts_on)} – {us(contract.ends_on)}",  # NA: month first
        "12 months",
        "UM client coverage (80 UM clients)",
        "Acme Voice",
        "Account R-1001",
        contract.number,
        "PO-48213",
        "All major and minor software upgrades",  # what XpressCare includes (the seed's words)
        "Dedicated Support Requests (DSR)",  # and excludes
        f"renew this plan by {us(contract.ends_on + timedelta(days=30))}",
    ]:
        assert expected in " ".join(text.split()), expected
    # Rendered to PNG for a person to look at (kept by CI with the other artifacts).
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "90",
            "-singlefile",
            letter.file.path,
            str(ARTIFACTS / "letter"),
        ],
        check=True,
    )
    assert (ARTIFACTS / "letter.png").stat().st_size > 20_000


@pytest.mark.django_db
def test_an_emea_letter_is_a4_with_day_first_dates(bob, make_due):
    contract = make_due(bob.reseller, 1)[0].contracts.get()
    letter = generated(contract, bob)
    info = subprocess.run(["pdfinfo", letter.file.path], capture_output=True).stdout.decode()
    assert "(A4)" in info
    text = " ".join(pdf_text(letter).split())
    assert "23 May 2025 – 22 May 2026" in text
    assert "This coverage period ended on 22 May 2026." in text  # long before the letter's date


@pytest.mark.django_db
def test_the_requester_gets_it_by_e_mail_with_the_pdf_attached(contract, alice, smtp_server):
    letter = generated(contract, alice)
    email = Email.objects.get(kind="confirmation-letter")
    assert email.to == alice.email
    email_send(email.pk)
    [message] = smtp_server.inbox.wait_for(1, timeout=2)
    assert message["Subject"] == (
        f"XpressCare confirmation letter for {contract.system.serial_number} "
        "(Cascade Medical Center)"
    )
    [attachment] = [part for part in message.walk() if part.get_filename()]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == letter.filename
    assert attachment.get_payload(decode=True).startswith(b"%PDF")


@pytest.mark.django_db
def test_a_letter_for_the_longest_serial_number_is_stored_and_attached(contract, alice):
    longest = "CX-" + "7" * 61  # 64 characters, the most a serial number may have
    type(contract.system).objects.filter(pk=contract.system_id).update(serial_number=longest)
    contract.refresh_from_db()
    letter = generated(contract, alice)
    assert letter.status == Letter.Status.READY
    assert longest in letter.file.name
    # The storage may add a suffix when a file of that name exists (an earlier run's).
    assert longest in Email.objects.get(kind="confirmation-letter").attachment.name


@pytest.mark.django_db
def test_a_letter_is_generated_once_per_contract_version(contract, alice, olivia):
    first = generated(contract, alice)
    again = letter_request(contract=contract, user=olivia)  # ready: e-mailed at once
    assert again.pk == first.pk and not letter_generate(first.pk)
    first.refresh_from_db()
    assert first.generations == 1
    assert Email.objects.filter(kind="confirmation-letter").count() == 2
    contract.po_number = "PO-CORRECTED"  # what the letter says changes: a new version
    contract.save()
    second = generated(contract, alice)
    assert second.pk != first.pk and second.version != first.version
    assert "PO-CORRECTED" in pdf_text(second)


@pytest.mark.django_db
def test_staff_regenerate_a_letter_and_the_file_is_replaced(contract, alice, olivia):
    letter = generated(contract, alice)
    old_path = letter.file.path
    regenerated = generated(contract, olivia, regenerate=True)
    assert regenerated.pk == letter.pk and regenerated.generations == 2
    assert os.path.exists(regenerated.file.path)
    assert regenerated.file.path == old_path or not os.path.exists(old_path)


@pytest.mark.django_db
def test_another_reseller_cannot_download_it(client, contract, alice, bob, carol):
    letter = generated(contract, alice)
    url = reverse("contracts:letter-download", args=[letter.pk])
    client.force_login(bob)
    assert client.get(url).status_code == 404
    assert client.get(reverse("contracts:letter-download", args=[999999])).status_code == 404
    client.force_login(carol)  # Acme, but no XpressCare Contracts access
    assert client.get(url).status_code == 403
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert letter.filename in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


@pytest.mark.django_db
def test_letters_have_no_public_url(contract, alice):
    letter = generated(contract, alice)
    assert Path(letter.file.path).is_relative_to(Path(settings.MEDIA_ROOT) / "private")
    assert letter.file.url == ""  # as downloads: admin shows no link rather than failing


@pytest.mark.django_db
def test_requesting_from_the_portal_queues_it_and_comes_back(
    client, contract, alice, bob, django_capture_on_commit_callbacks
):
    url = reverse("contracts:letter-request", args=[contract.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(url, {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == f"/systems/{contract.system.serial_number}/"
    assert len(queued) == 1  # the generation task, after commit
    assert Letter.objects.get().status == "requested"
    client.force_login(bob)
    assert client.post(url).status_code == 404


def test_the_url_fetcher_refuses_anything_but_the_letters_own_files():
    fetcher = LocalFilesOnly()
    for url in [
        "http://example.com/logo.png",
        "https://fonts.example/font.woff2",
        "ftp://example.com/x",
        "file:///etc/passwd",
        (ASSETS / ".." / ".." / "pyproject.toml").as_uri(),
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    response = fetcher.fetch((ASSETS / "letter.css").as_uri())
    assert b"@page" in response.read()
    response.close()


@pytest.mark.django_db
def test_a_letter_whose_task_was_lost_is_generated_by_the_sweep_and_the_command(
    contract, alice, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        letter = letter_request(contract=contract, user=alice)  # its task never runs
    Letter.objects.filter(pk=letter.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=False):
        assert letter_sweep() == 1
    call_command("generate_letters")
    assert "Letters generated: 1; failed now: 0." in capsys.readouterr().out
    letter.refresh_from_db()
    assert letter.status == "ready"
    call_command("generate_letters")
    assert "Letters generated: 0" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_letter_that_cannot_be_rendered_is_retried_then_marked_failed(contract, alice):
    letter = Letter.objects.create(contract=contract, version="broken", facts={"ends_on": "?"})
    for attempt in range(1, 4):
        with pytest.raises(Exception):  # noqa: B017 - any rendering error
            letter_generate(letter.pk)
        letter.refresh_from_db()
        assert letter.attempts == attempt
    assert letter.status == "failed" and letter.last_error
    assert not letter_generate(letter.pk)  # failed for good: the sweep leaves it to staff


@pytest.mark.django_db
def test_the_system_page_partial_offers_request_and_download(contract, alice, bob):
    system = contract.system
    request = RequestFactory().get(f"/systems/{system.serial_number}/")
    request.user = alice

    def render(user) -> str:
        request.user = user
        letter_rows = system_letter_list(user, system)
        context = {"system": system, "letter_rows": letter_rows, "request": request}
        return render_to_string("contracts/_system_letters.html", context, request=request)

    html = render(alice)
    assert contract.number in html and "Request letter" in html
    letter = generated(contract, alice)
    html = render(alice)
    assert reverse("contracts:letter-download", args=[letter.pk]) in html
    assert "Request letter" not in html
    assert render(bob).strip() == ""  # another reseller's system: nothing


@pytest.mark.django_db
def test_admin_actions_request_and_regenerate_letters(client, root, contract, alice):
    client.force_login(root)
    response = client.post(
        reverse("admin:contracts_contract_changelist"),
        {"action": "request_letters", "_selected_action": [contract.pk]},
        follow=True,
    )
    assert "1 confirmation letter(s) queued." in response.content.decode()
    letter = Letter.objects.get()
    assert list(letter.requests.values_list("user__username", flat=True)) == ["root"]
    letter_generate(letter.pk)
    response = client.post(
        reverse("admin:contracts_letter_changelist"),
        {"action": "regenerate", "_selected_action": [letter.pk]},
        follow=True,
    )
    assert "1 letter(s) queued" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == "requested"
    response = client.post(
        reverse("admin:contracts_letter_add"), {"contract": contract.pk}, follow=True
    )
    assert response.status_code == 200
    assert Contract.objects.count() == 2 and Letter.objects.count() == 1


@pytest.mark.django_db
def test_a_letter_that_keeps_killing_its_worker_is_given_up(contract, alice):
    letter = letter_request(contract=contract, user=alice)
    stale = timezone.now() - timedelta(minutes=11)
    # Three workers died mid-render: the row is left generating with an old claim.
    Letter.objects.filter(pk=letter.pk).update(status="generating", claimed_at=stale, attempts=3)
    assert not letter_generate(letter.pk)
    assert letter_sweep() == 0
    letter.refresh_from_db()
    assert letter.status == "failed"
    assert letter.last_error == "The worker stopped while rendering it, 3 times."
