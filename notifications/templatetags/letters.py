"""Template tags of confirmation letters, for the system page's letters partial."""

from django import template

from notifications.selectors import system_letter_list
from partnerxpress.core.tenancy import can_see_contracts

register = template.Library()


@register.simple_tag(takes_context=True)
def system_letters(context, system) -> list:
    """The system's contracts with their letters, for the signed-in user; [] without access."""
    user = context.get("user")
    if user is None or not can_see_contracts(user):
        return []
    return system_letter_list(user, system)
