"""Request middleware of the portal."""

from __future__ import annotations

from django.utils import timezone


class RegionTimeZoneMiddleware:
    """Times show in the zone of the user's reseller's region (SPEC §2); staff see UTC."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        reseller = getattr(user, "reseller", None) if user and user.is_authenticated else None
        if reseller is not None:
            timezone.activate(reseller.region.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
