"""Request middleware of the portal."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone, translation


class RegionMiddleware:
    """A reseller's users see times in their region's zone and dates in its language (SPEC §2),
    whatever their browser says; staff see UTC (with its name) in their browser's language."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        reseller = getattr(user, "reseller", None) if user and user.is_authenticated else None
        if reseller is not None:
            timezone.activate(reseller.region.zone)
            translation.activate(reseller.region.language)
            request.LANGUAGE_CODE = reseller.region.language
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
