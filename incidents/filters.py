"""One FilterSet for the support cases list: the portal page and the API use it."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from incidents.models import Case


class CaseFilter(django_filters.FilterSet):
    """Cases by status, kind, severity and a search on serial number, customer or summary."""

    status = django_filters.ChoiceFilter(choices=Case.Status.choices, empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=Case.Kind.choices, empty_label="Any kind")
    severity = django_filters.ChoiceFilter(
        choices=Case.Severity.choices, empty_label="Any severity"
    )
    serial_number = django_filters.CharFilter(field_name="system__serial_number")
    q = django_filters.CharFilter(
        method="filter_search", label="Serial number, customer or summary"
    )

    class Meta:
        model = Case
        fields = ["status", "kind", "severity", "serial_number", "q"]

    def filter_search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(system__serial_number__icontains=value)
            | Q(system__customer_name__icontains=value)
            | Q(summary__icontains=value)
        )
