"""The API's filter backend (a REST_FRAMEWORK default: imports nothing of DRF's views)."""

from django_filters import CharFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


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
