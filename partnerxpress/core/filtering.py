"""The API's filter backend (a REST_FRAMEWORK default: imports nothing of DRF's views), and the
range of dates every date, month and time input accepts, portal and API alike."""

from __future__ import annotations

import datetime
import re

from django import forms
from django_filters import CharFilter, Filter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

# Coverage arithmetic adds years and months to dates: far outside this range it overflows
# Python's dates (year 1 to 9999), and no contract is that old or lasts that long.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)
MONTH_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"  # YYYY-MM within the range
DATE_PATTERN = MONTH_PATTERN[:-1] + r"-(0[1-9]|[12][0-9]|3[01])$"  # YYYY-MM-DD within it
OUT_OF_RANGE = f"Enter a date between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}."


def is_in_range(value: datetime.date | datetime.datetime) -> bool:
    """Whether a date (or a time's date) lies within EARLIEST..LATEST."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return EARLIEST <= day <= LATEST


class DateInRangeField(forms.DateField):
    """A date from EARLIEST to LATEST."""

    default_error_messages = {"out_of_range": OUT_OF_RANGE}

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not is_in_range(day):
            raise forms.ValidationError(self.error_messages["out_of_range"], "out_of_range")
        return day


class MonthField(forms.DateField):
    """A month written YYYY-MM, from 1900-01 to 2999-12: its first day."""

    input_formats = ["%Y-%m"]
    default_error_messages = {
        "invalid": "Enter a month as YYYY-MM.",
        "out_of_range": "Enter a month between 1900-01 and 2999-12.",
    }

    def to_python(self, value):
        month = super().to_python(value)
        if month is not None and not re.fullmatch(MONTH_PATTERN, f"{month:%Y-%m}"):
            raise forms.ValidationError(self.error_messages["out_of_range"], "out_of_range")
        return month


@extend_schema_field(
    {
        "type": "string",
        "pattern": MONTH_PATTERN,
        "description": "A month, YYYY-MM, from 1900-01 to 2999-12.",
    }
)
class MonthFilter(Filter):
    """A filter on a month (YYYY-MM) within the accepted range of dates."""

    field_class = MonthField


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, as strict as an API should be: a filter given without a value is a 400.

    The portal shares the FilterSets, and its HTML form sends empty fields to mean "any"; an
    API client leaves the parameter out instead, so `?status=` is a mistake worth naming.
    Text filters (search) may be empty.
    """

    message = "Give a value, or leave this parameter out."

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            params = request.query_params
            empty = [
                name
                for name, filter_ in filterset.filters.items()
                if not isinstance(filter_, CharFilter)
                and name in params
                and any(not value.strip() for value in params.getlist(name))
            ]
            if empty:
                raise ValidationError({name: [self.message] for name in empty})
        return filterset
