"""The answer to an unexpected error: 503 "back in a moment" when the database is away (a
restart, a failover; nothing was saved halfway, since every write is one transaction), 500
otherwise; JSON under /api/, a page that needs no database elsewhere."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 30
OUTAGE = (OperationalError, InterfaceError)  # no connection, or it broke mid-request


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500: it runs while the exception is being handled, so it can tell."""
    outage = isinstance(sys.exc_info()[1], OUTAGE)
    status = 503 if outage else 500
    if request.path.startswith("/api/"):
        detail = "Briefly unavailable: try again in a minute." if outage else "Server error."
        response: HttpResponse = JsonResponse({"detail": detail}, status=status)
    else:
        response = HttpResponse(render_to_string(f"{status}.html"), status=status)
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
