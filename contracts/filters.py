"""One FilterSet for the XpressCare Contracts list: the portal page, its CSV and the API use it."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.db.models import F, Q
from django.db.models.expressions import OrderBy

from contracts import rules
from contracts.models import KIND_CHOICES, Contract, Customer, Product, System
from contracts.selectors import anchor_ends_between, status_condition
from partnerxpress.core.tenancy import for_user, user_today

SORTS = {
    "customer": ["customer_name", "serial_number"],
    "expiry": ["chain_ends_on", "serial_number"],
    "-expiry": ["-chain_ends_on", "-serial_number"],
    "serial": ["serial_number"],
}


def sort_order(sort: str) -> list[OrderBy]:
    """SORTS[sort] with NULLs (never covered) last going up and first going down, on any database.

    PostgreSQL's default placement, made explicit so SQLite agrees and the API's keyset
    pagination, which treats NULL as the largest value, pages in the same order as the page.
    """
    return [
        F(name[1:]).desc(nulls_first=True) if name.startswith("-") else F(name).asc(nulls_last=True)
        for name in SORTS.get(sort, SORTS["customer"])
    ]


class SystemFilter(django_filters.FilterSet):
    """Filters of SPEC §2: status, product, customer, expiring within N days, search, sort.

    Dates are the requesting user's "today" (their region's date).
    """

    status = django_filters.MultipleChoiceFilter(
        choices=[(status.value, rules.STATUS_LABELS[status]) for status in rules.Status],
        method="filter_status",
    )
    product = django_filters.ModelChoiceFilter(
        queryset=Product.objects.all(), to_field_name="name", field_name="product"
    )
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.none())
    expiring_within = django_filters.NumberFilter(
        method="filter_expiring_within",
        min_value=0,
        max_value=3650,
        label="Coverage ends within (days)",
    )
    q = django_filters.CharFilter(method="filter_search", label="Customer or serial number")
    sort = django_filters.ChoiceFilter(
        choices=[
            ("customer", "Customer"),
            ("expiry", "Expiry date"),
            ("-expiry", "Expiry, latest first"),
            ("serial", "Serial number"),
        ],
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = System
        fields = ["status", "product", "customer", "expiring_within", "q", "sort"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        if request is not None:
            self.filters["customer"].queryset = for_user(Customer.objects.all(), request.user)
        self.today = user_today(request.user) if request is not None else None

    @property
    def qs(self):
        systems = super().qs
        if not self.form.cleaned_data.get("sort"):
            systems = systems.order_by(*sort_order("customer"))
        return systems

    def filter_status(self, queryset, name, value):
        condition = Q()
        for status in value:
            condition |= status_condition(rules.Status(status), self.today)
        return queryset.filter(condition)

    def filter_expiring_within(self, queryset, name, value):
        days = int(value)
        return queryset.filter(
            anchor_ends_between(self.today, self.today, self.today + timedelta(days=days))
        )

    def filter_search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(serial_number__icontains=value) | Q(customer_name__icontains=value)
        )

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*sort_order(value))


class CustomerFilter(django_filters.FilterSet):
    """API customers: search by name."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")

    class Meta:
        model = Customer
        fields = ["q"]


class ContractFilter(django_filters.FilterSet):
    """API contracts: of one system (by serial number), of one customer, of one kind."""

    system = django_filters.ModelChoiceFilter(
        queryset=System.objects.none(),
        to_field_name="serial_number",
        label="System serial number",
        error_messages={"invalid_choice": "No system has this serial number."},
    )
    customer = django_filters.ModelChoiceFilter(
        queryset=Customer.objects.none(),
        field_name="system__customer",
        error_messages={"invalid_choice": "No customer has this id."},
    )
    kind = django_filters.ChoiceFilter(choices=KIND_CHOICES)

    class Meta:
        model = Contract
        fields = ["system", "customer", "kind"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        if request is not None:
            # Another reseller's system or customer is refused like one that does not exist.
            self.filters["system"].queryset = for_user(System.objects.all(), request.user)
            self.filters["customer"].queryset = for_user(Customer.objects.all(), request.user)
