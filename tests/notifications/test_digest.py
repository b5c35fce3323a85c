"""The monthly renewal e-mail: once per representative per month, skipped with a reason."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from notifications.models import Email
from notifications.services import MAX_ATTEMPTS, email_send
from renewals.models import DigestRun
from renewals.services.digests import digest_runs_settle, digest_schedule, digest_send
from tests.factories import UserFactory
from tests.notifications.conftest import JUNE_1


def send(reseller, on=JUNE_1, **options):
    run, _ = digest_send(reseller_id=reseller.pk, on=on, **options)
    return run


@pytest.mark.django_db
def test_each_representative_gets_one_e_mail_a_month_however_often_it_runs(alice, make_due):
    second = UserFactory(reseller=alice.reseller, is_contract_representative=True)
    UserFactory(reseller=alice.reseller, is_contract_representative=False)  # not a rep
    make_due(alice.reseller, 4)
    run = send(alice.reseller)
    send(alice.reseller)
    send(alice.reseller, on=date(2026, 6, 20))  # later the same month
    keys = sorted(Email.objects.values_list("key", flat=True))
    assert keys == sorted(
        [f"digest:R-1001:2026-06:{alice.pk}", f"digest:R-1001:2026-06:{second.pk}"]
    )
    assert (run.status, run.expired, run.due, run.recipients) == ("queued", 2, 2, 2)
    send(alice.reseller, on=date(2026, 7, 1))  # a new month, a new e-mail
    assert Email.objects.count() == 4


@pytest.mark.django_db
def test_an_inactive_reseller_is_skipped_and_says_so(alice, make_due):
    make_due(alice.reseller, 2)
    alice.reseller.is_active = False
    alice.reseller.save()
    run = send(alice.reseller)
    assert (run.status, run.reason) == ("skipped", "The reseller is inactive.")
    assert not Email.objects.exists()


@pytest.mark.django_db
def test_without_a_representative_it_is_skipped_and_says_what_it_would_list(acme, make_due):
    UserFactory(reseller=acme, is_contract_representative=True, email="")  # no address
    UserFactory(reseller=acme, is_contract_representative=True, is_active=False)
    make_due(acme, 3)
    run = send(acme)
    assert run.status == "skipped"
    assert run.reason == (
        "No support-contract representative with an e-mail address. "
        "3 system(s) would have been listed."
    )


@pytest.mark.django_db
def test_a_reseller_with_nothing_to_list_gets_no_e_mail(alice, make_system):
    make_system(alice.reseller)  # never covered
    run = send(alice.reseller)
    assert (run.status, run.reason) == (
        "skipped",
        "Nothing to list on 2026-06-01: nothing expired recently or is due.",
    )
    assert not Email.objects.exists()


@pytest.mark.django_db
def test_send_now_reaches_only_representatives_who_have_not_had_it(alice, make_due):
    make_due(alice.reseller, 2)
    send(alice.reseller)
    newcomer = UserFactory(reseller=alice.reseller, is_contract_representative=True)
    assert send(alice.reseller).reason.endswith("e-mailed to 1 representative(s).")  # done
    assert Email.objects.count() == 1
    run = send(alice.reseller, force=True)
    assert Email.objects.filter(to=newcomer.email).count() == 1
    assert Email.objects.count() == 2
    assert "1 had this month's e-mail already" in run.reason


@pytest.mark.django_db
def test_a_run_that_cannot_compose_is_recorded_as_failed_and_tried_again(
    alice, make_due, settings, tmp_path, django_capture_on_commit_callbacks
):
    make_due(alice.reseller, 2)
    templates = settings.TEMPLATES
    settings.TEMPLATES = [{**templates[0], "DIRS": [tmp_path]}]  # a deploy without our templates
    with pytest.raises(Exception, match="renewal-digest"):
        send(alice.reseller)
    run = DigestRun.objects.get()
    assert (run.status, run.attempts) == ("failed", 1)
    assert run.reason.startswith("Could not compose the e-mail: TemplateDoesNotExist")
    assert not Email.objects.exists()
    settings.TEMPLATES = templates
    # The next hourly tick picks it up again.
    with django_capture_on_commit_callbacks() as queued:
        assert digest_schedule(now=datetime(2026, 6, 1, 12, tzinfo=UTC)) >= 1
    assert queued
    assert send(alice.reseller).status == "queued"
    assert Email.objects.count() == 1


@pytest.mark.django_db
def test_the_month_is_due_from_the_first_in_the_resellers_zone(
    alice, bob, django_capture_on_commit_callbacks
):
    for reseller in (alice.reseller, bob.reseller):  # May is done for both
        DigestRun.objects.create(
            reseller=reseller, month=date(2026, 5, 1), status="sent", email_key_prefix="x"
        )

    def due_at(hour: int) -> set[str]:
        with django_capture_on_commit_callbacks():
            digest_schedule(now=datetime(2026, 6, 1, hour, tzinfo=UTC))
        pending = DigestRun.objects.filter(month=JUNE_1, status="pending")
        return set(pending.values_list("reseller__account_number", flat=True))

    # 06:00 UTC: the 1st in London (Etc/GMT), still May 31st in Los Angeles.
    assert due_at(6) == {"R-2001"}
    # 07:00 UTC is midnight in Los Angeles (daylight saving time): both are due.
    assert due_at(7) == {"R-1001", "R-2001"}


@pytest.mark.django_db
def test_the_job_catches_up_when_beat_was_down_on_the_first(
    alice, make_due, django_capture_on_commit_callbacks
):
    make_due(alice.reseller, 2)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        digest_schedule(now=datetime(2026, 6, 3, 15, tzinfo=UTC))  # the 3rd, first tick since
    assert len(queued) == 1
    run = send(alice.reseller, on=date(2026, 6, 3))
    assert (run.month, run.on, run.status) == (JUNE_1, date(2026, 6, 3), "queued")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        digest_schedule(now=datetime(2026, 6, 3, 16, tzinfo=UTC))
    assert queued == []  # done for June


@pytest.mark.django_db
def test_runs_are_settled_sent_or_failed_from_their_e_mails(alice, bob, make_due, smtp_server):
    make_due(alice.reseller, 2)
    make_due(bob.reseller, 2, customer="Initech")
    send(alice.reseller)
    send(bob.reseller)
    email_send(Email.objects.get(to=alice.email).pk)
    smtp_server.inbox.refuse = True
    bobs = Email.objects.get(to=bob.email)
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(Exception, match="Try again later"):
            email_send(bobs.pk)
        Email.objects.filter(pk=bobs.pk).update(next_attempt_at=None)  # the retry is due
    assert digest_runs_settle() == 2
    runs = {run.reseller_id: run for run in DigestRun.objects.all()}
    assert runs[alice.reseller_id].status == "sent"
    assert runs[bob.reseller_id].status == "failed"
    assert "1 e-mail(s) could not be delivered: SMTPDataError" in runs[bob.reseller_id].reason


@pytest.mark.django_db
def test_the_e_mail_lists_systems_by_customer_with_renew_by_add_ons_and_links(alice, make_due):
    initech = make_due(alice.reseller, 2, customer="Initech", um_clients=80)
    make_due(alice.reseller, 1, customer="Globex", tts_channels=4)
    send(alice.reseller)
    email = Email.objects.get()
    assert email.subject == "XpressCare renewals for Acme Voice, June 2026: 2 expired, 1 due"
    text = email.body_text
    assert text.index("EXPIRED RECENTLY") < text.index("Globex") < text.index("Initech")
    assert text.index("Initech") < text.index("DUE FOR RENEWAL")
    assert "ended May 22, 2026 · renew by Jun 21, 2026" in text
    assert "must include UM client coverage (80 clients)" in text
    assert "must include TTS coverage (4 channels)" in text
    assert f"{settings.PORTAL_URL}/systems/{initech[0].serial_number}/" in text
    assert "/contracts/?status=grace" in text and "/contracts/?status=expiring" in text
    html = email.body_html
    assert "Expired recently — still renewable (2)" in html
    assert "Due for renewal in the next 90 days (1)" in html
    assert "UM clients (80)" in html and "Text-to-speech (4 ch.)" in html


@pytest.mark.django_db
def test_emea_dates_are_written_day_first(bob, make_due):
    make_due(bob.reseller, 1)
    send(bob.reseller)
    assert "ended 22 May 2026 · renew by 21 Jun 2026" in Email.objects.get().body_text


@pytest.mark.django_db
def test_the_command_twice_in_a_month_sends_nothing_the_second_time(
    alice, bob, make_due, smtp_server, capsys
):
    make_due(alice.reseller, 2)
    make_due(bob.reseller, 2, customer="Initech")
    call_command("send_renewal_digests", "--on", "2026-06-01")
    first = capsys.readouterr().out
    assert "R-1001 2026-06: e-mails queued." in first
    assert "E-mails sent: 2;" in first
    call_command("send_renewal_digests", "--on", "2026-06-02")
    second = capsys.readouterr().out
    assert "R-1001 2026-06: sent (done before: nothing sent)." in second
    assert "E-mails sent: 0;" in second
    messages = smtp_server.inbox.wait_for(2, timeout=2)
    assert sorted(m["To"] for m in messages) == [alice.email, bob.email]


@pytest.mark.django_db
def test_the_command_for_one_reseller(alice, bob, make_due, smtp_server, capsys):
    make_due(alice.reseller, 2)
    make_due(bob.reseller, 2, customer="Initech")
    call_command("send_renewal_digests", "--on", "2026-06-01", "--reseller", "R-2001")
    assert [m["To"] for m in smtp_server.inbox.wait_for(1, timeout=2)] == [bob.email]
    with pytest.raises(CommandError, match="No reseller with account number R-9"):
        call_command("send_renewal_digests", "--reseller", "R-9")


@pytest.mark.django_db
def test_staff_preview_the_e_mail_for_any_date_without_sending(client, root, alice, make_due):
    make_due(alice.reseller, 2)
    client.force_login(root)
    url = reverse("admin:renewals_digest_preview")
    response = client.get(url, {"reseller": alice.reseller.pk, "on": "2026-06-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "XpressCare renewals for Acme Voice, June 2026: 1 expired, 1 due" in body
    assert "alice@reseller.example" in body
    assert not Email.objects.exists() and not DigestRun.objects.exists()


@pytest.mark.django_db
def test_staff_send_now_from_admin_and_see_the_run(client, root, alice, make_due):
    make_due(alice.reseller, 2)
    client.force_login(root)
    form = {"reseller": alice.reseller.pk, "on": "2026-06-01"}
    asked = client.post(reverse("admin:renewals_digest_send"), form).content.decode()
    assert "Send the renewal e-mail now?" in asked and alice.email in asked
    assert not Email.objects.exists()
    back = client.post(reverse("admin:renewals_digest_send"), {**form, "change": "No"})
    assert "Send the renewal e-mail now?" not in back.content.decode()
    assert back.context["form"]["on"].value() == "2026-06-01"  # the choices, to change
    assert not Email.objects.exists()
    response = client.post(
        reverse("admin:renewals_digest_send"), {**form, "confirmed": "1"}, follow=True
    )
    assert "Acme Voice, June 2026: e-mails queued." in response.content.decode()
    assert Email.objects.get().to == alice.email
    listing = client.get(reverse("admin:renewals_digestrun_changelist")).content.decode()
    assert "2 system(s) listed" in listing and "0 sent, 1 waiting or retrying" in listing


@pytest.mark.django_db
def test_staff_without_permission_cannot_send_or_preview(client, olivia, alice):
    client.force_login(olivia)
    assert client.get(reverse("admin:renewals_digest_preview")).status_code == 403
    send_url = reverse("admin:renewals_digest_send")
    assert client.post(send_url, {"reseller": alice.reseller.pk}).status_code == 403


@pytest.mark.django_db
def test_names_are_plain_in_subject_and_text_and_escaped_in_html(alice, make_due):
    alice.reseller.name = "Smith & Sons"
    alice.reseller.save()
    make_due(alice.reseller, 1, customer="<b>Initech</b> & Co")
    send(alice.reseller)
    email = Email.objects.get()
    assert email.subject.startswith("XpressCare renewals for Smith & Sons, June 2026")
    assert "<b>Initech</b> & Co" in email.body_text
    assert "&lt;b&gt;Initech&lt;/b&gt; &amp; Co" in email.body_html
    assert "<b>Initech</b>" not in email.body_html


@pytest.mark.django_db
def test_sending_again_with_nobody_new_keeps_the_months_outcome_and_says_why(alice, make_due):
    make_due(alice.reseller, 2)
    send(alice.reseller)
    Email.objects.update(status=Email.Status.SENT)
    DigestRun.objects.update(status=DigestRun.Status.SENT)
    run = send(alice.reseller, force=True)
    assert run.status == "sent"
    assert run.reason == (
        "Nothing sent again on 2026-06-01: all 1 representative(s) had this month's e-mail already."
    )
    assert Email.objects.count() == 1


@pytest.mark.django_db
def test_the_send_now_action_asks_first_and_names_who_gets_it(client, root, alice, make_due):
    make_due(alice.reseller, 2)
    run, _ = digest_send(reseller_id=alice.reseller.pk, on=date(2026, 6, 1))
    newcomer = UserFactory(reseller=alice.reseller, is_contract_representative=True)
    client.force_login(root)
    changelist = reverse("admin:renewals_digestrun_changelist")
    action = {"action": "send_now", "_selected_action": [run.pk]}
    with time_machine.travel(datetime(2026, 6, 1, 18, tzinfo=UTC)):  # "now" lists for June 1
        asked = client.post(changelist, action).content.decode()
        assert "1 e-mail to 1 person" in asked and newcomer.email in asked
        assert "Acme Voice: 1 representative(s) had it this month." in asked
        assert Email.objects.count() == 1
        client.post(changelist, {**action, "post": "yes"})
    assert Email.objects.filter(to=newcomer.email).count() == 1


@pytest.mark.django_db
def test_each_row_shows_its_12_month_price_and_each_customer_its_total(bob, make_due):
    brightline = bob.reseller  # EMEA: pounds; 10 % off
    brightline.discount_percent = 10
    brightline.save()
    # two expired recently, two due: 960 + 120 a year each, less 10 %
    make_due(brightline, 4, customer="Initech", tts_channels=1)
    send(brightline)
    email = Email.objects.get()
    assert email.body_text.count("Initech · 12 months for all: £1,944.00") == 2
    assert email.body_text.count("· 12 months £972.00") == 4
    assert "£972.00" in email.body_html and "£1,944.00" in email.body_html
