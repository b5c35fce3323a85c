"""One FilterSet for the XpressCare Contracts list: the portal page, its CSV and the API use it."""

from __future__ import annotations

from datetime import date, timedelta

import django_filters
from dateutil.relativedelta import relativedelta
from django.db.models import F, Q
from django.db.models.expressions import OrderBy
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field

from contracts import rules
from contracts.coverage_sql import (
    anchor_ends_between,
    decision_applies,
    renew_by_between,
    renewable_ending_between,
    statuses_condition,
)
from contracts.models import KIND_CHOICES, Contract, Customer, Product, Reseller, System
from contracts.rules.decisions import DECISION_LABELS
from partnerxpress.core.filtering import MonthFilter
from partnerxpress.core.tenancy import for_user, user_today

# Each order ends in the primary key so it matches an index on (reseller, column, id): a deep
# page is then an index scan, not a sort of every row (100,000 rows: 250 ms → 15 ms).
SORTS = {
    "customer": ["customer_name", "id"],
    "expiry": ["chain_ends_on", "id"],
    "-expiry": ["-chain_ends_on", "-id"],
    "serial": ["serial_number"],
}
NO_DECISION = "none"
DECISION_CHOICES = [
    *((kind.value, label) for kind, label in DECISION_LABELS.items()),
    (NO_DECISION, "No decision"),
]
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_CUSTOMERS = 1000  # more matching customers than this: a subquery, not a list of ids


def sort_order(sort: str) -> list[OrderBy]:
    """SORTS[sort] with NULLs (RightFax, never covered: no expiry) last in both directions.

    The portal, its CSV and the API all sort here; the API's keyset pagination reads where the
    NULLs go from these expressions, and an index of the same order serves each direction.
    """
    return [
        F(name[1:]).desc(nulls_last=True) if name.startswith("-") else F(name).asc(nulls_last=True)
        for name in SORTS.get(sort, SORTS["customer"])
    ]


@extend_schema_field({"type": "number", "minimum": 0, "maximum": 3650})
class DaysFilter(django_filters.NumberFilter):
    """A number of days (the schema says what the field's limits accept)."""


def serial_number_starts(text: str) -> Q:
    """Serial numbers that begin with `text`, in any case (a whole one is found too).

    A range of the index on UPPER(serial_number) (migration 0014): as cheap for 100,000
    serials that all begin "R-BIG-" as for 1,000. A trigram search for the text anywhere in
    the serial read every serial sharing its trigrams (3.3 times slower for the big reseller).
    Text that cannot be part of a serial number (`rules.is_serial_number`) matches none.
    """
    if not rules.is_serial_number(text):
        return Q(pk__in=[])
    return Q(serial_number__istartswith=text)


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
    reseller = django_filters.ModelChoiceFilter(
        queryset=Reseller.objects.none(),
        to_field_name="account_number",
        label="Reseller account number (staff)",
    )
    expiring_within = DaysFilter(
        method="filter_expiring_within",
        min_value=0,
        max_value=3650,
        label="Coverage ends within (days)",
    )
    q = django_filters.CharFilter(
        method="filter_search",
        label="Customer name (any part) or serial number (its beginning)",
        max_length=SEARCH_MAX_LENGTH,
    )
    ends_month = MonthFilter(method="filter_ends_month", label="Coverage ends in (month, YYYY-MM)")
    decision = django_filters.MultipleChoiceFilter(
        choices=DECISION_CHOICES,
        method="filter_decision",
        label="Renewal decision (SPEC §1.8)",
    )
    renew_by_month = MonthFilter(method="filter_renew_by_month", label="Renew by (month, YYYY-MM)")
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
        fields = [
            "status",
            "product",
            "customer",
            "reseller",
            "expiring_within",
            "q",
            "sort",
            "renew_by_month",
            "ends_month",
            "decision",
        ]

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        if request is not None:
            self.filters["customer"].queryset = for_user(Customer.objects.all(), request.user)
            self.filters["reseller"].queryset = for_user(
                Reseller.objects.select_related("region"), request.user
            )

    @cached_property
    def today(self) -> date | None:
        """The user's today, or for staff who name a reseller, that reseller's."""
        if self.request is None:
            return None
        reseller = self.form.cleaned_data.get("reseller") if self.is_valid() else None
        return reseller.region.today_now() if reseller else user_today(self.request.user)

    @property
    def qs(self):
        systems = super().qs
        if not self.form.cleaned_data.get("sort"):
            systems = systems.order_by(*sort_order("customer"))
        return systems

    def filter_status(self, queryset, name, value):
        return queryset.filter(statuses_condition(value, self.today))

    def filter_ends_month(self, queryset, name, value):
        """Renewable systems whose current coverage ends in the month (the pipeline's months)."""
        last = value + relativedelta(months=1) - timedelta(days=1)
        return queryset.filter(renewable_ending_between(self.today, value.replace(day=1), last))

    def filter_decision(self, queryset, name, value):
        """Systems whose decision that applies today is of these kinds (`none`: no decision)."""
        kinds = [kind for kind in value if kind != NO_DECISION]
        condition = Q(decision_applies(self.today, kinds)) if kinds else Q(pk__in=[])
        if NO_DECISION in value:
            condition |= ~Q(decision_applies(self.today))
        return queryset.filter(condition)

    def filter_expiring_within(self, queryset, name, value):
        days = int(value)
        return queryset.filter(
            anchor_ends_between(self.today, self.today, self.today + timedelta(days=days))
        )

    def filter_search(self, queryset, name, value):
        value = value.strip()[:SEARCH_MAX_LENGTH]
        if not value:
            return queryset
        # Customers are few: match their names in their own table first, not on every system
        # row, and hand PostgreSQL the ids (a subquery there is guessed to match half the
        # rows, and the plan then walks 60,000 of them in order: 90 ms instead of 30).
        customers = Customer.objects.filter(name__icontains=value)
        if self.request is not None:
            customers = for_user(customers, self.request.user)
        ids = list(customers.values_list("pk", flat=True)[: SEARCH_MAX_CUSTOMERS + 1])
        by_customer = Q(customer__in=customers.values("pk"))
        if len(ids) <= SEARCH_MAX_CUSTOMERS:
            by_customer = Q(customer_id__in=ids)
        return queryset.filter(serial_number_starts(value) | by_customer)

    def filter_renew_by_month(self, queryset, name, value):
        last = value + relativedelta(months=1) - timedelta(days=1)
        return queryset.filter(renew_by_between(self.today, value.replace(day=1), last))

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
