"""Request middleware of the portal."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control


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


class NoStoreMiddleware:
    """What a signed-in user is shown (pages, the CSV export, PDFs, the API) is theirs alone:
    `Cache-Control: no-store` keeps it out of shared caches and off the disk of a shared
    computer's browser. A view that sets its own Cache-Control keeps it; static files and
    /healthz are answered before this middleware runs."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # DRF puts a token's user on the request too; the header alone also counts.
        user = getattr(request, "user", None)
        signed_in = (user is not None and user.is_authenticated) or (
            "HTTP_AUTHORIZATION" in request.META
        )
        if signed_in and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
