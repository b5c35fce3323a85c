"""XpressCare Contracts access: the 403 page, Request access, the grant in admin, its history."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import AccessRequest, User
from contracts.services import access_request_submit, contracts_access_grant
from notifications.models import Email
from partnerxpress.core.errors import RuleViolation

pytestmark = pytest.mark.django_db


def test_without_access_the_contracts_page_is_a_403_that_offers_request_access(
    client, carol, acme_systems
):
    client.force_login(carol)
    for url in (
        reverse("contracts:list"),
        reverse("contracts:export"),
        reverse("system", args=["ACME-COVERED"]),
        reverse("system", args=["NO-SUCH-SERIAL"]),
    ):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403, url
        assert "access is not enabled for you" in html
        assert "Request access" in html
        assert "ACME-" not in html


def test_the_menu_entry_is_there_without_access(client, carol):
    client.force_login(carol)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("contracts:list")}"' in html
    assert "access not enabled" in html


def test_request_access_is_recorded_and_e_mails_the_sales_representative(client, carol, olivia):
    client.force_login(carol)
    response = client.post(
        reverse("contracts:request_access"),
        {"message": "I renew our hospital contracts", "next": reverse("contracts:list")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:list")
    (request,) = AccessRequest.objects.filter(user=carol)
    assert request.message == "I renew our hospital contracts" and request.granted_at is None
    (email,) = Email.objects.all()
    assert email.to == olivia.email
    assert email.subject == "XpressCare Contracts access requested: carol, Acme Voice"
    assert "I renew our hospital contracts" in email.body_text
    assert "/admin/contracts/accessrequest/?granted=no" in email.body_text
    page = client.get(reverse("contracts:list")).content.decode()
    assert "You asked for access on" in page and "Request access</button>" not in page


def test_requesting_twice_makes_one_request_and_one_e_mail(carol):
    first = access_request_submit(user=carol)
    second = access_request_submit(user=carol, message="again")
    assert first == second
    assert AccessRequest.objects.count() == Email.objects.count() == 1


def test_a_user_with_access_cannot_request_it(client, alice):
    with pytest.raises(RuleViolation):
        access_request_submit(user=alice)
    client.force_login(alice)
    response = client.post(reverse("contracts:request_access"), follow=True)
    assert "You have XpressCare Contracts access." in response.content.decode()


def test_request_access_needs_a_post(client, carol):
    client.force_login(carol)
    assert client.get(reverse("contracts:request_access")).status_code == 405


def test_request_access_does_not_redirect_off_site(client, carol):
    client.force_login(carol)
    response = client.post(reverse("contracts:request_access"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_staff_grant_access_in_one_admin_action_recorded_in_history(client, carol, superuser):
    request = access_request_submit(user=carol)
    client.force_login(superuser)
    action = {"action": "grant", "_selected_action": [request.pk]}
    changelist = reverse("admin:contracts_accessrequest_changelist")
    asked = client.post(changelist, action).content.decode()
    assert "Grant XpressCare Contracts access to 1 user(s)?" in asked and carol.email in asked
    carol.refresh_from_db()
    assert not carol.has_contracts_access and not Email.objects.filter(to=carol.email).exists()
    response = client.post(changelist, {**action, "post": "yes"}, follow=True)
    assert "Access granted to 1 user(s)" in response.content.decode()
    carol.refresh_from_db()
    request.refresh_from_db()
    assert carol.has_contracts_access
    assert (carol.contracts_access_granted_by, request.granted_by) == (superuser, superuser)
    assert carol.contracts_access_granted_at == request.granted_at is not None
    latest = carol.history.latest()
    assert latest.has_contracts_access and latest.history_user == superuser
    assert request.history.latest().history_user == superuser
    told = Email.objects.get(to=carol.email)
    assert told.subject == "Your XpressCare Contracts access is enabled"
    assert "/contracts/" in told.body_text
    client.force_login(carol)
    assert client.get(reverse("contracts:list")).status_code == 200


def test_the_user_list_grants_access_too_and_granting_twice_changes_nothing(
    client, carol, superuser
):
    client.force_login(superuser)
    changelist = reverse("admin:contracts_user_changelist")
    for _ in range(2):
        client.post(
            changelist,
            {"action": "grant_contracts_access", "_selected_action": [carol.pk], "post": "yes"},
        )
    carol.refresh_from_db()
    assert carol.has_contracts_access and carol.contracts_access_granted_by == superuser
    assert Email.objects.filter(to=carol.email).count() == 1
    client.post(changelist, {"action": "revoke_contracts_access", "_selected_action": [carol.pk]})
    carol.refresh_from_db()
    assert not carol.has_contracts_access
    assert [h.has_contracts_access for h in carol.history.order_by("history_date")][-2:] == [
        True,
        False,
    ]


def test_ticking_the_box_on_the_user_form_is_recorded_like_a_grant(client, carol, superuser):
    client.force_login(superuser)
    url = reverse("admin:contracts_user_change", args=[carol.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "groups", "user_permissions")
    }
    joined = timezone.localtime(carol.date_joined)
    data |= {
        "date_joined_0": f"{joined:%Y-%m-%d}",
        "date_joined_1": f"{joined:%H:%M:%S}",
        "reseller": carol.reseller_id,
        "has_contracts_access": "on",
    }
    for name in ("last_login", "date_joined", "certification_expires_on"):
        data.pop(name, None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    carol.refresh_from_db()
    assert carol.has_contracts_access and carol.contracts_access_granted_by == superuser
    assert Email.objects.filter(to=carol.email, kind="access-granted").count() == 1
    assert not contracts_access_grant(user=carol, granted_by=superuser)  # twice: nothing new


def test_times_show_in_the_resellers_region(client, carol):
    request = access_request_submit(user=carol)
    # 03:00 UTC on 10 January is still 9 January in Los Angeles (Acme is in NA).
    AccessRequest.objects.filter(pk=request.pk).update(
        requested_at=datetime(2026, 1, 10, 3, 0, tzinfo=UTC)
    )
    client.force_login(carol)
    # Acme's users read US English, whatever their browser says, and the time names its zone.
    html = client.get(reverse("contracts:list"), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "Jan 9, 2026, 7:00 PM PST" in html
    assert '<html lang="en-us">' in html


def test_admin_lists_open_requests(client, carol, superuser):
    access_request_submit(user=carol, message="please")
    client.force_login(superuser)
    response = client.get(reverse("admin:contracts_accessrequest_changelist"), {"granted": "no"})
    assert response.status_code == 200
    assert "carol" in response.content.decode()
    assert User.objects.get(pk=carol.pk).access_requests.count() == 1
