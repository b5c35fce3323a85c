"""Request middleware of the portal."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import JsonResponse
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


class HealthCheckMiddleware:
    """`/healthz`: 200 when the database answers, 503 when not; for load balancers and compose.

    First in the chain, so it answers whatever host name or scheme the probe uses.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz":
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            return JsonResponse({"status": "unavailable", "database": str(error)}, status=503)
        return JsonResponse({"status": "ok"})
