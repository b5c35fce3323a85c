"""Template context every portal page gets."""

from django.utils.functional import SimpleLazyObject

from partnerxpress.core.policy import Permissions
from partnerxpress.core.tenancy import user_today


def permissions(request) -> dict:
    """`can`: what the signed-in user may do (core.policy), for menus, buttons and partials."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"can": SimpleLazyObject(lambda: Permissions(user, user_today(user)))}
