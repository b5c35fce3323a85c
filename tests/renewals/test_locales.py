"""One date style per language everywhere: a reseller's users read their region's (SPEC §2:
"dates show in the reseller's locale") in pages, messages, e-mails and letters alike."""

from datetime import date

import pytest
from django.utils import translation

from contracts.letter_pdf import letter_html
from contracts.selectors.letters import letter_facts
from notifications.models import Email
from partnerxpress.core.locales import day_text, in_region, moment_text
from partnerxpress.core.tenancy import user_today
from renewals import services
from tests.contracts.factories import system_in_status
from tests.dates import uk, us

DAY = date(2027, 3, 1)


def test_each_language_has_one_style():
    with translation.override("en-us"):
        assert day_text(DAY) == "Mar 1, 2027" == us(DAY)
    with translation.override("en-gb"):
        assert day_text(DAY) == "1 Mar 2027" == uk(DAY)


@pytest.mark.django_db
def test_times_name_their_zone_in_the_regions_language(acme, brightline):
    from datetime import UTC, datetime

    from django.template import Context, Template

    instant = datetime(2027, 3, 1, 17, 5, tzinfo=UTC)
    shown = Template('{{ at|date:"DATETIME_FORMAT" }}')
    with in_region(acme.region):
        assert shown.render(Context({"at": instant})) == "Mar 1, 2027, 9:05 AM PST"
    with in_region(brightline.region):
        assert shown.render(Context({"at": instant})) == "1 Mar 2027, 17:05 GMT"
        assert moment_text(instant) == "Monday, 1 Mar 2027, 17:05 UTC"  # its own clock


@pytest.mark.django_db
def test_e_mails_and_letters_follow_the_recipients_region(alice, bob, olivia, place):
    for user, written in [(alice, us), (bob, uk)]:
        today = user_today(user)
        system = system_in_status(
            user.reseller, "expiring", today, serial_number=f"LOC-{user.username}"
        )
        order = place(user, "renewal", f"PO-{user.username}", (system.serial_number, 12))
        services.order_book(order=order, booked_on=today, by=olivia)
        body = Email.objects.get(kind="order-booked", to=user.email).body_text
        assert f"was booked on {written(today)}." in body
        contract = order.lines.get().contract
        letter = " ".join(letter_html(letter_facts(contract), today).split())
        assert f"{written(contract.starts_on)} – {written(contract.ends_on)}" in letter
