"""Keyset pagination of every API list (a REST_FRAMEWORK default: imports no DRF views).

See PITFALLS.md: DRF's CursorPagination repeats rows when many share the first sort value, and
page-number pagination counts every row on every request.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import hashlib
import json
import math
import uuid
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Field, Model, Q, QuerySet
from django.db.models.expressions import OrderBy
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


@dataclass(frozen=True)
class SortKey:
    """One column of a keyset ordering, with where its NULLs go: after the largest value
    (`nulls_largest`, PostgreSQL's default) or before the smallest."""

    path: str
    descending: bool
    field: Field | None
    nulls_largest: bool = True

    @property
    def nullable(self) -> bool:
        return self.field is None or self.field.null

    def toward_nulls(self, upward: bool) -> bool:
        """Whether moving towards larger (upward) or smaller values ends on the NULLs."""
        return upward == self.nulls_largest

    def order_by(self, reverse: bool) -> OrderBy:
        descending = self.descending != reverse
        # Reversed, the NULLs change ends too, so a previous page is this order read backwards.
        if descending == self.nulls_largest:
            return (
                F(self.path).desc(nulls_first=True)
                if descending
                else F(self.path).asc(nulls_first=True)
            )
        return (
            F(self.path).desc(nulls_last=True) if descending else F(self.path).asc(nulls_last=True)
        )

    def value_of(self, row: Model | dict) -> Any:
        if isinstance(row, dict):
            return row[self.path]
        value = row
        for part in self.path.split("__"):
            value = getattr(value, part)
        return value

    def beyond(self, value: Any, upward: bool, *, nulls: bool = True) -> Q:
        """Rows strictly past `value` moving towards larger (upward) or smaller values.

        Moving towards the NULLs' end, the NULLs are past every value too, unless `nulls` is
        False; moving away from it, every value is past a NULL.
        """
        toward_nulls = self.toward_nulls(upward)
        if value is None:
            return Q(pk__in=[]) if toward_nulls else Q(**{f"{self.path}__isnull": False})
        condition = Q(**{f"{self.path}__{'gt' if upward else 'lt'}": value})
        if toward_nulls and self.nullable and nulls:
            condition |= Q(**{f"{self.path}__isnull": True})
        return condition

    def not_before(self, value: Any, upward: bool, *, nulls: bool = True) -> Q:
        """`beyond` or equal: a plain range on the first column, so an index can start there."""
        toward_nulls = self.toward_nulls(upward)
        if value is None:
            return Q(**{f"{self.path}__isnull": True}) if toward_nulls else Q()
        condition = Q(**{f"{self.path}__{'gte' if upward else 'lte'}": value})
        if toward_nulls and self.nullable and nulls:
            condition |= Q(**{f"{self.path}__isnull": True})
        return condition

    def equal(self, value: Any) -> Q:
        if value is None:
            return Q(**{f"{self.path}__isnull": True})
        return Q(**{self.path: value})


def _model_field(model: type[Model], path: str) -> Field | None:
    """The model field a lookup path ends on, or None for an annotation."""
    field = None
    for part in path.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model
    return field


def sort_keys(queryset: QuerySet) -> list[SortKey]:
    """The queryset's ordering as keyset columns, ending on a unique column of the model.

    A relation is ordered by its id column. If no column of the model itself is unique, the
    primary key is appended, so rows that share every sort value still have one fixed order.
    """
    query = queryset.query
    ordering = list(query.order_by) or (
        list(queryset.model._meta.ordering) if query.default_ordering else []
    )
    keys: list[SortKey] = []
    for item in ordering:
        nulls_largest = True
        if isinstance(item, str):
            descending, path = item.startswith("-"), item.lstrip("-")
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            descending, path = item.descending, item.expression.name
            if item.nulls_first or item.nulls_last:
                nulls_largest = bool(item.nulls_last) != descending
        elif isinstance(item, F):
            descending, path = False, item.name
        else:
            raise ImproperlyConfigured(
                f"Keyset pagination orders by columns only, not {item!r}: order by field names."
            )
        if path == "?":
            raise ImproperlyConfigured("Keyset pagination cannot page a random order.")
        field = _model_field(queryset.model, path)
        if field is not None and field.is_relation:
            path, field = f"{path}_id", field.target_field
        keys.append(SortKey(path, descending, field, nulls_largest))
        if "__" not in path and field is not None and field.unique and not field.null:
            return keys
    pk = queryset.model._meta.pk
    return [*keys, SortKey(pk.attname, keys[-1].descending if keys else False, pk)]


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _refuse_constant(name: str) -> None:
    raise ValueError(name)  # NaN, Infinity: no column holds them


def _position_value(key: SortKey, value: Any) -> Any:
    """A cursor's value for one sort column, as the column holds it; ValueError (or another
    error the cursor's decoding catches) when no row could have it: a cursor is made by us,
    so such a value means it was tampered with."""
    if value is None:
        return None
    if isinstance(value, list | dict):
        raise ValueError(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(value)  # 1e999 is read as Infinity
    if isinstance(value, str):
        value.encode()  # a lone surrogate ("\ud800") cannot be sent to the database
        if "\x00" in value:
            raise ValueError(value)
    if key.field is None:
        return value
    value = key.field.to_python(value)
    if isinstance(value, int) and abs(value) >= 2**63:
        raise ValueError(value)
    return value


class KeysetPagination(BasePagination):
    """Next/previous links whose opaque cursor holds every sort value of the boundary row.

    Unlike DRF's CursorPagination (which filters on the first sort column and skips ties by
    offset, repeating rows when thousands share one expiry date), each page is one query
    `WHERE (sort columns) > (boundary) ORDER BY … LIMIT n+1` however deep it is, and no
    COUNT(*) is run. The ordering is the queryset's own (filters set it), ending on a unique
    column. A cursor is refused (400) if the sort order changed since it was made.
    """

    page_size = 50
    max_page_size = 500
    cursor_query_param = "cursor"
    cursor_pattern = r"^[A-Za-z0-9_-]*$"  # URL-safe base64 without padding
    max_cursor_length = 2000
    page_size_query_param = "page_size"
    invalid_cursor_message = "This cursor is not valid: start again from the first page."
    other_sort_message = (
        "This cursor belongs to another sort order: start again from the first page."
    )

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        self.request = request
        self.size = self._page_size(request)
        self.keys = sort_keys(queryset)
        self.signature = hashlib.sha1(
            repr([(key.path, key.descending, key.nulls_largest) for key in self.keys]).encode()
        ).hexdigest()[:8]
        position, reverse = self._decode_cursor(request)
        rows = queryset.order_by(*(key.order_by(reverse) for key in self.keys))
        first = self.keys[0]
        if position is None:
            page = list(rows[: self.size + 1])
        elif (
            first.nullable
            and position[0] is not None
            and first.toward_nulls(first.descending == reverse)
        ):
            # Moving towards the NULLs' end, the NULLs come after every value. `(x >= v OR x IS
            # NULL)` is no index range, so the database would filter every row before the page:
            # ask for the values as a range, and for the NULLs only when the page runs past them.
            page = list(rows.filter(self._after(position, reverse, nulls=False))[: self.size + 1])
            if len(page) <= self.size:
                nulls = rows.filter(**{f"{first.path}__isnull": True})
                page += list(nulls[: self.size + 1 - len(page)])
        else:
            page = list(rows.filter(self._after(position, reverse))[: self.size + 1])
        has_more = len(page) > self.size
        page = page[: self.size]
        if reverse:
            page.reverse()
        boundary_first = self._values(page[0]) if page else position
        boundary_last = self._values(page[-1]) if page else position
        if reverse:
            self.next_position = boundary_last
            self.previous_position = boundary_first if has_more else None
        else:
            self.next_position = boundary_last if has_more else None
            self.previous_position = boundary_first if position is not None else None
        return page

    def get_paginated_response(self, data) -> Response:
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_next_link(self) -> str | None:
        return self._link(self.next_position, reverse=False)

    def get_previous_link(self) -> str | None:
        return self._link(self.previous_position, reverse=True)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page; null on the last page."},
                "previous": {**link, "description": "The previous page; null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Opaque position from a `next` or `previous` link.",
                "schema": {
                    "type": "string",
                    "pattern": self.cursor_pattern,
                    "maxLength": self.max_cursor_length,
                },
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Rows per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    # -- internals

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Enter a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return int(raw)

    def _values(self, row) -> list:
        return [key.value_of(row) for key in self.keys]

    def _after(self, position: list, reverse: bool, *, nulls: bool = True) -> Q:
        """Rows strictly after `position` in the (possibly reversed) order.

        `nulls=False` leaves out rows whose first sort column is NULL.
        """
        clauses, equal = [], Q()
        for index, (key, value) in enumerate(zip(self.keys, position, strict=True)):
            upward = key.descending == reverse
            clauses.append(equal & key.beyond(value, upward, nulls=nulls or index > 0))
            equal &= key.equal(value)
        first = self.keys[0]
        start = first.not_before(position[0], first.descending == reverse, nulls=nulls)
        return start & reduce(or_, clauses)

    def _link(self, position: list | None, *, reverse: bool) -> str | None:
        if position is None:
            return None
        payload = {"k": self.signature, "v": [_to_json(value) for value in position]}
        if reverse:
            payload["r"] = 1
        token = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode())
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, token.decode().rstrip("="))

    def _decode_cursor(self, request) -> tuple[list | None, bool]:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None, False
        try:
            if len(raw) > self.max_cursor_length:
                raise ValueError(raw)
            payload = json.loads(
                base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)),
                parse_constant=_refuse_constant,
            )
            signature, values = payload["k"], payload["v"]
            reverse = bool(payload.get("r", 0))
            if not isinstance(values, list) or len(values) != len(self.keys):
                raise ValueError(values)
            if signature == self.signature:
                position = [
                    _position_value(key, value)
                    for key, value in zip(self.keys, values, strict=True)
                ]
                return position, reverse
        except (
            ValueError,  # UnicodeError and JSONDecodeError are ValueErrors
            TypeError,
            KeyError,
            OverflowError,
            binascii.Error,
            DjangoValidationError,
        ):
            raise exceptions.ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None
        raise exceptions.ValidationError({self.cursor_query_param: [self.other_sort_message]})
