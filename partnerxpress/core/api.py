"""Shared pieces of the REST API: access, tenancy, query parameters, errors, schema.

Every app's API gets keyset pagination (core.pagination), the per-user throttle
(core.throttling), the error shape and the documented error answers from the REST_FRAMEWORK
defaults, and access and tenancy by subclassing the base views here.
"""

from __future__ import annotations

import datetime
from typing import Any

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.settings import api_settings

from partnerxpress.core import errors
from partnerxpress.core.filtering import (
    DATE_PATTERN,
    EARLIEST,
    LATEST,
    OUT_OF_RANGE,
    is_in_range,
)
from partnerxpress.core.policy import can_open_cases, can_see_contracts
from partnerxpress.core.tenancy import for_user, user_today

# ---------------------------------------------------------------------------------------------
# Access


class HasContractsAccess(permissions.BasePermission):
    """Systems, coverage, contracts and orders need XpressCare Contracts access."""

    message = "XpressCare Contracts access is not enabled for this user: request it in the portal."

    def has_permission(self, request, view) -> bool:
        return can_see_contracts(request.user)


class CanOpenCases(permissions.BasePermission):
    """Support cases and per-incident support are for certified technicians only."""

    message = "Only certified technicians with a current certification may use support."

    def has_permission(self, request, view) -> bool:
        return can_open_cases(request.user, user_today(request.user))


class ScopedQuerysetMixin:
    """Tenancy of the API in one place: a view's rows are always the caller's reseller's.

    Views give their rows unscoped, as `queryset` or by overriding `base_queryset`, and never
    override `get_queryset`: the scoping here cannot be left out (tests/api walks them all).
    """

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        return for_user(self.base_queryset(), self.request.user)


CONTRACTS_PERMISSIONS = [permissions.IsAuthenticated, HasContractsAccess]
SUPPORT_PERMISSIONS = [permissions.IsAuthenticated, CanOpenCases]


class ContractsReadOnlyViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only; needs XpressCare Contracts access; shows the caller's reseller's data only."""

    # Subclasses set `queryset` (scoped here), `serializer_class`, `filterset_class`, and a
    # docstring of their own: it becomes the operations' description in the schema.
    permission_classes = CONTRACTS_PERMISSIONS

    def filter_queryset(self, queryset):
        # List filters narrow lists; one object is found by its key alone.
        return super().filter_queryset(queryset) if self.action == "list" else queryset


# ---------------------------------------------------------------------------------------------
# Query parameters


@extend_schema_field({"type": "string", "format": "date", "pattern": DATE_PATTERN})
class IsoDateField(serializers.DateField):
    """A date written YYYY-MM-DD, within years the coverage arithmetic can handle."""

    default_error_messages = {
        "invalid": "Enter a date as YYYY-MM-DD.",
        "out_of_range": "Enter a date between {low} and {high}.",
    }
    LOW = EARLIEST
    HIGH = LATEST

    def get_value(self, dictionary):
        # `?on=` with nothing after it is a bad date; only leaving `on` out means "today".
        if self.field_name in dictionary:
            return dictionary.get(self.field_name)
        return serializers.empty

    def to_internal_value(self, value: Any) -> datetime.date:
        text = str(value).strip()
        try:
            if len(text) != 10 or text[4] != "-" or text[7] != "-":
                raise ValueError(text)
            parsed = datetime.date.fromisoformat(text)
        except ValueError:
            self.fail("invalid")
        if not self.LOW <= parsed <= self.HIGH:
            self.fail("out_of_range", low=self.LOW, high=self.HIGH)
        return parsed


@extend_schema_field(
    {
        "type": "string",
        "format": "date-time",
        "description": f"ISO 8601, from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}.",
    }
)
class IsoDateTimeField(serializers.DateTimeField):
    """A time in ISO 8601 whose date lies within the years the arithmetic can handle: a time in
    year 9999 overflows once it is moved to a region's zone."""

    default_error_messages = {"out_of_range": OUT_OF_RANGE}

    def to_internal_value(self, value: Any) -> datetime.datetime:
        if isinstance(value, str):
            # Its calendar date, before any zone arithmetic can overflow.
            try:
                day = datetime.date.fromisoformat(value.strip()[:10])
            except ValueError:
                day = None
            if day is not None and not is_in_range(day):
                self.fail("out_of_range")
        parsed = super().to_internal_value(value)
        if not is_in_range(parsed):
            self.fail("out_of_range")
        return parsed


class TextField(serializers.CharField):
    """Text that must be sent as a JSON string: DRF's CharField would take 0 as "0"."""

    default_error_messages = {"not_text": "Send text (a JSON string)."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class OnDateQuery(serializers.Serializer):
    """`?on=YYYY-MM-DD`: the date to answer for; the caller's "today" when left out."""

    on = IsoDateField(
        required=False,
        help_text="The date to answer for, YYYY-MM-DD; defaults to today in the reseller's region.",
    )

    @classmethod
    def on_date(cls, request) -> datetime.date:
        """The requested date, or the user's today; a bad date is a 400 on `on`."""
        query = cls(data=request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data.get("on") or user_today(request.user)


# ---------------------------------------------------------------------------------------------
# Errors


def api_exception_handler(exc, context):
    """Every 400 is an object of messages per field (`non_field_errors` for the whole request).

    RuleViolations become field errors (core.errors); a malformed body and bare lists of
    messages are put under `non_field_errors`; other errors keep `{"detail": message}`.
    """
    if isinstance(exc, exceptions.ParseError):
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [exc.detail]})
    response = errors.api_exception_handler(exc, context)
    if response is not None and response.status_code == 400 and not isinstance(response.data, dict):
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response


# ---------------------------------------------------------------------------------------------
# Schema

FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Messages per field: each key is a field or query parameter (`non_field_errors` for "
        "the request as a whole) and holds a list of messages."
    ),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": True},
        ]
    },
    "example": {"on": ["Enter a date as YYYY-MM-DD."]},
}
DETAIL = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string"}},
}
ERROR_ANSWERS = {
    "400": ("FieldErrors", FIELD_ERRORS, "Bad input: a message per field."),
    "401": ("Detail", DETAIL, "Not logged in: no session and no valid `Authorization: Token`."),
    "403": (
        "Detail",
        DETAIL,
        "This user may not do this (e.g. XpressCare Contracts access is not enabled).",
    ),
    "404": ("Detail", DETAIL, "No such object, or one of another reseller: they look the same."),
    "429": (
        "Detail",
        DETAIL,
        "Too many requests from this user; retry after `Retry-After` seconds.",
    ),
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema plus the error answers every operation can give.

    400 when it takes query parameters or a body, 401/403 unless it allows anyone, 404 when
    the path names an object, 429 when throttled: documented so clients (and schemathesis)
    know them. A view's own description of an answer is kept; its body gets the shared shape.
    """

    def get_operation(self, *args, **kwargs) -> dict | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        codes = []
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if not all(
            isinstance(permission, permissions.AllowAny)
            for permission in self.view.get_permissions()
        ):
            codes += ["401", "403"]
        if any(p["in"] == "path" for p in parameters):
            codes.append("404")
        if self.view.get_throttles():
            codes.append("429")
        responses = operation.setdefault("responses", {})
        codes += [code for code in responses if code in ERROR_ANSWERS and code not in codes]
        for code in codes:
            name, schema, description = ERROR_ANSWERS[code]
            component = ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name
            )
            self.registry.register_on_missing(component)
            content = {"application/json": {"schema": component.ref}}
            # A view may describe an answer in its own words; the body is the shared shape.
            answer = responses.setdefault(code, {"description": description})
            answer.setdefault("content", content)
        return operation
