"""Answers to requests that fail outside a form: 400 when the request itself cannot be served
(JSON under /api/, the message on a page elsewhere); 503 "back in a moment" when the database
is away (a restart, a failover; nothing was saved halfway, since every write is one
transaction), 500 otherwise."""

from __future__ import annotations

import sys

from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 30
OUTAGE = (OperationalError, InterfaceError)  # no connection, or it broke mid-request
BAD_REQUEST = "This request cannot be answered: check the address and what was sent."


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's handler400. A BadRequest's message is ours, written for the user; other
    causes (a suspicious header, a malformed form) keep their details in the log only."""
    message = str(exception) if type(exception) is BadRequest and str(exception) else BAD_REQUEST
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponse(render_to_string("400.html", {"message": message}), status=400)


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
