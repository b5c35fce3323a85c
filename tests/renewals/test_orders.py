"""Orders of every kind: accepted, or refused with the rule's own message, at submit and booking."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import Contract, PriceListEntry
from contracts.rules import MESSAGES
from notifications.models import Email
from partnerxpress.core.errors import RuleViolation
from renewals import services
from renewals.models import Order
from renewals.rules import ORDER_MESSAGES

D = date.fromisoformat
pytestmark = pytest.mark.django_db


def refused(call, *args, **kwargs) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        call(*args, **kwargs)
    return caught.value


# --- renewal -----------------------------------------------------------------------------------


def test_a_renewal_is_booked_from_the_day_after_the_chain_ends(
    alice, olivia, acme, make_system, book, place
):
    # given a system covered until 2026-06-30
    system = make_system(acme, serial_number="CX-1")
    book(system, "plan", "2025-07-01")

    # when alice orders a 13-month renewal and the desk books it three weeks later
    order = place(alice, "renewal", "PO-1", ("CX-1", 13), on="2026-06-10")
    services.order_book(order=order, booked_on=D("2026-06-30"), by=olivia)

    # then the coverage runs on without a gap and the order line points at it
    order.refresh_from_db()
    line = order.lines.get()
    assert order.state == "booked" and order.booked_by == olivia
    assert (line.contract.starts_on, line.contract.ends_on) == (D("2026-07-01"), D("2027-07-31"))
    assert line.contract.po_number == "PO-1"
    system.refresh_from_db()
    assert system.chain_ends_on == D("2027-07-31")


def test_a_renewal_of_several_systems_books_each_its_own_term(
    alice, olivia, acme, make_system, book, place
):
    first = make_system(acme, serial_number="CX-1")
    second = make_system(acme, serial_number="CX-2")
    book(first, "plan", "2025-01-01")
    book(second, "plan", "2025-04-01")
    order = place(alice, "renewal", "PO-1", ("CX-1", 15), ("CX-2", 12), on="2025-12-01")
    services.order_book(order=order, booked_on=D("2025-12-02"), by=olivia)
    ends = {line.system.serial_number: line.contract.ends_on for line in order.lines.all()}
    assert ends == {"CX-1": D("2027-03-31"), "CX-2": D("2027-03-31")}


def test_an_order_keeps_its_prices_when_prices_change_before_it_is_booked(
    alice, olivia, acme, make_system, book, place
):
    # given a 13-month renewal submitted at the list price (CallXpress: 1,200.00 a year)
    system = make_system(acme, serial_number="CX-1")
    book(system, "plan", "2025-07-01")
    order = place(alice, "renewal", "PO-1", ("CX-1", 13), on="2026-06-10")

    # when staff raise the price from the next day and give Acme a discount, then book it
    PriceListEntry.objects.create(
        product=system.product,
        currency="USD",
        effective_from=D("2026-06-11"),
        xpresscare_annual=Decimal("1800.00"),
        um_client_annual=Decimal("6.00"),
        tts_channel_annual=Decimal("150.00"),
        upgrade=Decimal("2500.00"),
    )
    acme.discount_percent = Decimal(25)
    acme.save()
    services.order_book(order=order, booked_on=D("2026-06-30"), by=olivia)

    # then the order and its e-mail keep the price it was submitted with
    line = Order.objects.get().lines.get()
    assert (line.list_price, line.net_price) == (Decimal("1300.00"), Decimal("1300.00"))
    assert line.price_entry.effective_from == D("2000-01-01")
    booked = Email.objects.get(kind="order-booked")
    assert "· $1,300.00" in booked.body_text and "Total: $1,300.00" in booked.body_text
    # and a new order is priced as of its own day
    later = place(alice, "renewal", "PO-2", ("CX-1", 12), on="2026-07-01")
    assert later.lines.get().net_price == Decimal("1350.00")  # 1,800.00 less 25 %


def test_a_renewal_31_days_after_the_end_is_refused(alice, acme, make_system, book, place):
    book(make_system(acme, serial_number="CX-1"), "plan", "2025-07-01")
    error = refused(place, alice, "renewal", "PO-1", ("CX-1", 12), on="2026-07-31")
    assert error.message == "CX-1: " + MESSAGES["renewal_too_late"]
    assert error.field == "lines"
    assert not Order.objects.exists()


def test_a_renewal_accepted_on_submit_is_refused_on_a_late_booking_and_stays_submitted(
    alice, olivia, acme, make_system, book, place
):
    book(make_system(acme, serial_number="CX-1"), "plan", "2025-07-01")
    order = place(alice, "renewal", "PO-1", ("CX-1", 12), on="2026-07-30")
    error = refused(services.order_book, order=order, booked_on=D("2026-07-31"), by=olivia)
    assert error.message == "CX-1: " + MESSAGES["renewal_too_late"]
    order.refresh_from_db()
    assert order.state == "submitted" and order.lines.get().contract is None
    assert Contract.objects.count() == 1


def test_a_renewal_without_the_required_um_coverage_is_refused(
    alice, acme, make_system, book, place
):
    system = make_system(acme, serial_number="CX-1", um_clients=51)
    book(system, "plan", "2025-07-01", covers_um_clients=True)
    error = refused(place, alice, "renewal", "PO-1", ("CX-1", 12, False, False), on="2026-06-01")
    assert error.message == (
        "CX-1: XpressCare for UM clients is required: this system has 51 "
        "unified-messaging clients (more than 50)."
    )
    assert place(alice, "renewal", "PO-1", ("CX-1", 12, True, False), on="2026-06-01")


def test_a_renewal_without_a_term_is_refused(alice, acme, make_system, book, place):
    book(make_system(acme, serial_number="CX-1"), "plan", "2025-07-01")
    error = refused(place, alice, "renewal", "PO-1", ("CX-1", None), on="2026-06-01")
    assert error.message == "CX-1: " + ORDER_MESSAGES["term_required"].format(serial="CX-1")


def test_a_renewal_for_two_customers_is_refused(alice, acme, make_system, book, place):
    book(make_system(acme, customer="Globex", serial_number="CX-1"), "plan", "2025-07-01")
    book(make_system(acme, customer="Initech", serial_number="CX-2"), "plan", "2025-07-01")
    error = refused(place, alice, "renewal", "PO-1", ("CX-1", 12), ("CX-2", 12), on="2026-06-01")
    assert error.message == ORDER_MESSAGES["one_customer"].format(customers="Globex and Initech")


def test_a_system_never_covered_cannot_be_renewed(alice, acme, make_system, place):
    make_system(acme, serial_number="CX-1")
    error = refused(place, alice, "renewal", "PO-1", ("CX-1", 12), on="2026-06-01")
    assert error.message == "CX-1: " + MESSAGES["nothing_to_renew"]


def test_rightfax_cannot_be_ordered(alice, acme, make_system, place):
    make_system(acme, product="RightFax", release="10.0", serial_number="RF-1")
    error = refused(place, alice, "plan", "PO-1", ("RF-1", 12), on="2026-06-01")
    assert error.message == "RF-1: " + MESSAGES["ineligible_product"]


# --- plan --------------------------------------------------------------------------------------


def test_a_plan_for_a_system_never_covered_starts_on_the_booking_date(
    alice, olivia, acme, make_system, place
):
    make_system(acme, serial_number="CX-1", tts_channels=2)
    order = place(alice, "plan", "PO-1", ("CX-1", 24, False, True), on="2026-03-01")
    services.order_book(order=order, booked_on=D("2026-03-04"), by=olivia)
    contract = order.lines.get().contract
    assert (contract.kind, contract.starts_on, contract.ends_on) == (
        "plan",
        D("2026-03-04"),
        D("2028-03-03"),
    )
    assert contract.covers_tts


def test_a_plan_without_the_required_tts_coverage_is_refused(alice, acme, make_system, place):
    make_system(acme, serial_number="CX-1", tts_channels=1)
    error = refused(place, alice, "plan", "PO-1", ("CX-1", 12), on="2026-03-01")
    assert error.message == (
        "CX-1: XpressCare for text-to-speech is required: this system has 1 text-to-speech channel."
    )


def test_a_plan_for_a_system_covered_before_is_refused(alice, acme, make_system, book, place):
    book(make_system(acme, serial_number="CX-1"), "plan", "2023-01-01")
    error = refused(place, alice, "plan", "PO-1", ("CX-1", 12), on="2026-03-01")
    assert error.message == "CX-1: " + MESSAGES["plan_after_coverage"]


def test_a_plan_term_of_13_months_is_refused(alice, acme, make_system, place):
    make_system(acme, serial_number="CX-1")
    error = refused(place, alice, "plan", "PO-1", ("CX-1", 13), on="2026-03-01")
    assert error.message == "CX-1: An XpressCare plan is sold for 12, 24 or 36 months, not 13."


# --- paid software upgrade ---------------------------------------------------------------------


def test_a_paid_upgrade_brings_a_lapsed_system_back_on_the_current_release(
    alice, olivia, acme, make_system, book, place
):
    system = make_system(acme, serial_number="CX-1", release="7.5")
    book(system, "plan", "2023-01-01")
    order = place(alice, "upgrade", "PO-1", ("CX-1", 12), on="2026-03-01")
    assert order.lines.get().target_release.version == "8.1"
    services.order_book(order=order, booked_on=D("2026-03-02"), by=olivia)
    system.refresh_from_db()
    contract = order.lines.get().contract
    assert (contract.kind, contract.starts_on) == ("upgrade", D("2026-03-02"))
    assert system.release.version == "8.1"


def test_a_paid_upgrade_for_a_covered_system_is_refused(alice, acme, make_system, book, place):
    book(make_system(acme, serial_number="CX-1"), "plan", "2026-01-01")
    error = refused(place, alice, "upgrade", "PO-1", ("CX-1", 12), on="2026-03-01")
    assert error.message == "CX-1: " + MESSAGES["upgrade_while_covered"].format(on="Mar 1, 2026")


# --- no-charge upgrade -------------------------------------------------------------------------


@pytest.fixture
def covered(acme, make_system, book):
    """CX-1 of Globex, covered through 2026, on 8.0 while 8.1 is current."""
    system = make_system(acme, customer="Globex", serial_number="CX-1")
    book(system, "plan", "2026-01-01")
    return system


def test_a_no_charge_upgrade_is_booked_shipped_and_installed(alice, olivia, covered, place):
    # given alice orders the no-charge upgrade, naming the customer
    order = place(
        alice, "no_charge_upgrade", "PO-1", "CX-1", on="2026-03-01", customer_name="globex"
    )
    assert order.lines.get().target_release.version == "8.1"

    # when the desk books it, ships it with a charge and marks it installed
    services.order_book(order=order, booked_on=D("2026-03-02"), by=olivia)
    services.order_ship(order=order, shipping_charge=Decimal("35.00"), by=olivia)
    covered.refresh_from_db()
    assert covered.release.version == "8.0"  # nothing moves before it is installed
    services.order_install(order=order, installed_on=D("2026-03-20"), by=olivia)

    # then no coverage was sold, the charge is on the order, and the system runs 8.1
    order.refresh_from_db()
    assert (order.state, order.shipping_charge) == ("installed", Decimal("35.00"))
    assert order.lines.get().contract is None
    assert Contract.objects.count() == 1
    covered.refresh_from_db()
    assert covered.release.version == "8.1"
    moved = covered.history.latest()  # the system's own history says who moved it
    assert (moved.history_type, moved.release.version, moved.history_user) == ("~", "8.1", olivia)


def test_a_no_charge_upgrade_with_the_wrong_customer_name_is_refused(alice, covered, place):
    error = refused(
        place, alice, "no_charge_upgrade", "PO-1", "CX-1", on="2026-03-01", customer_name="Initech"
    )
    assert error.message == ORDER_MESSAGES["customer_mismatch"].format(
        given="Initech", serial="CX-1"
    )
    assert error.field == "customer_name"


def test_a_no_charge_upgrade_needs_the_customer_name(alice, covered, place):
    error = refused(place, alice, "no_charge_upgrade", "PO-1", "CX-1", on="2026-03-01")
    assert error.message == ORDER_MESSAGES["customer_required"]


def test_a_no_charge_upgrade_of_an_unknown_serial_number_is_refused(alice, covered, place):
    error = refused(
        place, alice, "no_charge_upgrade", "PO-1", "CX-9", on="2026-03-01", customer_name="Globex"
    )
    assert error.message == "No system with serial number CX-9 is registered to your company."


def test_another_resellers_system_is_unknown_too(bob, covered, place):
    error = refused(
        place, bob, "no_charge_upgrade", "PO-1", "CX-1", on="2026-03-01", customer_name="Globex"
    )
    assert error.message == "No system with serial number CX-1 is registered to your company."


def test_a_no_charge_upgrade_for_a_system_not_covered_is_refused(alice, covered, place):
    error = refused(
        place, alice, "no_charge_upgrade", "PO-1", "CX-1", on="2027-02-01", customer_name="Globex"
    )
    assert error.message == "CX-1: " + ORDER_MESSAGES["not_covered_for_upgrade"].format(
        on="Feb 1, 2027"
    )


def test_a_no_charge_upgrade_for_a_system_on_the_current_release_is_refused(
    alice, acme, make_system, book, place
):
    book(make_system(acme, serial_number="CX-1", release="8.1"), "plan", "2026-01-01")
    error = refused(
        place, alice, "no_charge_upgrade", "PO-1", "CX-1", on="2026-03-01", customer_name="Globex"
    )
    assert error.message == "CX-1: " + ORDER_MESSAGES["already_current"].format(release="8.1")


def test_a_no_charge_upgrade_accepted_on_submit_is_refused_once_coverage_has_ended(
    alice, olivia, covered, place
):
    order = place(
        alice, "no_charge_upgrade", "PO-1", "CX-1", on="2026-12-30", customer_name="Globex"
    )
    error = refused(services.order_book, order=order, booked_on=D("2027-01-04"), by=olivia)
    assert error.message == "CX-1: " + ORDER_MESSAGES["not_covered_for_upgrade"].format(
        on="Jan 4, 2027"
    )
    order.refresh_from_db()
    assert order.state == "submitted"


def test_a_second_open_upgrade_order_for_one_system_is_refused(alice, olivia, covered, place):
    first = place(
        alice, "no_charge_upgrade", "PO-1", "CX-1", on="2026-03-01", customer_name="Globex"
    )
    services.order_book(order=first, booked_on=D("2026-03-01"), by=olivia)
    error = refused(
        place, alice, "no_charge_upgrade", "PO-2", "CX-1", on="2026-03-02", customer_name="Globex"
    )
    assert error.message == "CX-1: " + ORDER_MESSAGES["open_order"].format(
        serial="CX-1", order=first.number
    )


# --- PO numbers, desk actions, e-mail, history -------------------------------------------------


def test_the_same_po_number_submitted_twice_makes_one_order(alice, covered, place):
    first = place(alice, "renewal", "PO-7", ("CX-1", 12), on="2026-03-01")
    order, created = services.order_submit(
        user=alice,
        kind="renewal",
        po_number=" PO-7 ",
        lines=[services.LineRequest("CX-1", 24)],
        on=D("2026-03-01"),
    )
    assert (order, created) == (first, False)
    assert Order.objects.count() == 1


def test_resellers_may_use_the_same_po_number(
    alice, bob, covered, brightline, make_system, book, place
):
    book(make_system(brightline, customer="Umbrella", serial_number="CX-B"), "plan", "2026-01-01")
    place(alice, "renewal", "PO-7", ("CX-1", 12), on="2026-03-01")
    place(bob, "renewal", "PO-7", ("CX-B", 12), on="2026-03-01")
    assert Order.objects.count() == 2


def test_a_rejection_needs_a_reason_and_is_final(alice, olivia, covered, place):
    order = place(alice, "renewal", "PO-1", ("CX-1", 12), on="2026-03-01")
    error = refused(services.order_reject, order=order, reason="  ", by=olivia)
    assert error.field == "reason"
    services.order_reject(order=order, reason="PO not signed.", by=olivia)
    order.refresh_from_db()
    assert (order.state, order.rejection_reason) == ("rejected", "PO not signed.")
    error = refused(services.order_book, order=order, booked_on=D("2026-03-02"), by=olivia)
    assert error.message == "This order is rejected: only a submitted order can be booked."


def test_a_booked_order_cannot_be_booked_again(alice, olivia, covered, place):
    order = place(alice, "renewal", "PO-1", ("CX-1", 12), on="2026-03-01")
    services.order_book(order=order, booked_on=D("2026-03-02"), by=olivia)
    error = refused(services.order_book, order=order, booked_on=D("2026-03-03"), by=olivia)
    assert error.code == "wrong_state"
    assert Contract.objects.filter(kind="renewal").count() == 1


def test_only_upgrades_ship(alice, olivia, covered, place):
    order = place(alice, "renewal", "PO-1", ("CX-1", 12), on="2026-03-01")
    services.order_book(order=order, booked_on=D("2026-03-02"), by=olivia)
    error = refused(services.order_ship, order=order, shipping_charge=Decimal("9"), by=olivia)
    assert error.message == "Renewal orders are not shipped: only upgrades are."


def test_the_user_who_placed_the_order_is_emailed_on_booking_rejection_and_shipping(
    alice, olivia, covered, place, django_capture_on_commit_callbacks
):
    upgrade = place(
        alice, "no_charge_upgrade", "PO-1", "CX-1", on="2026-03-01", customer_name="Globex"
    )
    renewal = place(alice, "renewal", "PO-2", ("CX-1", 12), on="2026-03-01")
    with django_capture_on_commit_callbacks():
        services.order_book(order=upgrade, booked_on=D("2026-03-02"), by=olivia)
        services.order_ship(order=upgrade, shipping_charge=Decimal("35.00"), by=olivia)
        services.order_reject(order=renewal, reason="Duplicate of PO-1.", by=olivia)
    emails = {email.kind: email for email in Email.objects.filter(to=alice.email)}
    assert set(emails) == {"order-booked", "order-shipped", "order-rejected"}
    assert emails["order-booked"].subject == f"Order {upgrade.number} (PO-1) is booked"
    assert "CX-1: upgrade to CallXpress 8.1" in emails["order-booked"].body_text
    assert "Shipping charge billed to your company: $35.00" in emails["order-shipped"].body_text
    assert "Reason: Duplicate of PO-1." in emails["order-rejected"].body_text
    assert f"/orders/{renewal.pk}/" in emails["order-rejected"].body_text
    for (
        email
    ) in emails.values():  # the renewal e-mail's branded layout (templates/emails/base.html)
        assert ">PartnerXpress</span>" in email.body_html
        assert "XpressCare order desk" in email.body_html and "font-family:" in email.body_html


def test_every_change_of_an_order_is_in_its_history(alice, olivia, covered, place):
    order = place(
        alice, "no_charge_upgrade", "PO-1", "CX-1", on="2026-03-01", customer_name="Globex"
    )
    services.order_book(order=order, booked_on=D("2026-03-02"), by=olivia)
    services.order_ship(order=order, shipping_charge=Decimal("10"), by=olivia)
    services.order_install(order=order, installed_on=D("2026-03-09"), by=olivia)
    states = list(order.history.order_by("history_date").values_list("state", "history_user"))
    assert states == [
        ("submitted", alice.pk),
        ("booked", olivia.pk),
        ("shipped", olivia.pk),
        ("installed", olivia.pk),
    ]
    assert order.lines.get().history.count() == 2  # placed, then linked at booking
