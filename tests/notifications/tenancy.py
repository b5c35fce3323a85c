"""Objects of the notifications app's portal URLs, for tests/test_tenancy_portal.py."""

from contracts.services.letters import letter_generate, letter_request
from partnerxpress.core.tenancy import user_today
from tests.contracts.factories import system_in_status


def a_contract(user):
    system = system_in_status(
        user.reseller, "expiring", user_today(user), customer=f"{user.username} letters"
    )
    return system.contracts.first()


def a_letter_request(user) -> dict:
    return {"contract_id": a_contract(user).pk}


def a_ready_letter(user) -> dict:
    letter = letter_request(contract=a_contract(user), user=user)
    letter_generate(letter.pk)
    return {"letter_id": letter.pk}


OBJECTS = {
    "contracts:letter-request": a_letter_request,
    "contracts:letter-download": a_ready_letter,
}
