"""REST API of renewals, mounted under /api/v1/: list, retrieve and place orders, what is due,
renewal outcomes (SPEC §6.2), and the caller's calendar feed (`calendar`, §6.5)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.models import Contract
from partnerxpress.core.api import CONTRACTS_PERMISSIONS, IsoDateField, ScopedQuerysetMixin
from partnerxpress.core.filtering import MONTH_PATTERN
from renewals import selectors, services
from renewals.api.calendar import CalendarFeedView
from renewals.due import DUE, EXPIRED, renewal_due_list
from renewals.models import KIND_CHOICES, Order, OrderLine
from renewals.outcomes import outcome_counts
from renewals.rules import LineRequest


class OrderContractSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)

    class Meta:
        model = Contract
        fields = ["number", "kind", "starts_on", "ends_on", "term_months"]


class OrderLineSerializer(serializers.ModelSerializer):
    serial_number = serializers.CharField(source="system.serial_number")
    target_release = serializers.CharField(source="target_release.version", allow_null=True)
    contract = OrderContractSerializer(allow_null=True)
    list_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text="List price in the order's currency, as submitted (SPEC §1.7).",
    )
    net_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text="After the term and reseller discounts: what the reseller pays.",
    )

    class Meta:
        model = OrderLine
        fields = [
            "serial_number",
            "term_months",
            "covers_um_clients",
            "covers_tts",
            "target_release",
            "contract",
            "list_price",
            "net_price",
        ]


class OrderSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    customer = serializers.CharField(source="customer.name")
    placed_by = serializers.CharField(source="placed_by.username", allow_null=True)
    lines = OrderLineSerializer(many=True)
    currency = serializers.CharField(help_text="ISO 4217: USD (NA) or GBP (EMEA).")
    total = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text="The sum of the lines' net prices.",
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "kind",
            "state",
            "po_number",
            "customer",
            "placed_by",
            "currency",
            "total",
            "submitted_at",
            "booked_on",
            "rejection_reason",
            "shipped_at",
            "shipping_charge",
            "installed_on",
            "lines",
        ]
        read_only_fields = fields


class OrderLineInputSerializer(serializers.Serializer):
    serial_number = serializers.CharField(max_length=64)
    term_months = serializers.IntegerField(
        required=False, allow_null=True, help_text="Needed except for a no-charge upgrade."
    )
    covers_um_clients = serializers.BooleanField(default=False)
    covers_tts = serializers.BooleanField(default=False)


class OrderCreateSerializer(serializers.Serializer):
    """An order as the reseller places it; the same rules and messages as the portal."""

    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    po_number = serializers.CharField(
        max_length=64, help_text="Placing the same PO number again returns that order (200)."
    )
    customer_name = serializers.CharField(
        max_length=200,
        required=False,
        default="",
        help_text="Required for a no-charge upgrade; checked against the records when given.",
    )
    lines = OrderLineInputSerializer(many=True, allow_empty=False)


class OrderQuerysetMixin(ScopedQuerysetMixin):
    permission_classes = CONTRACTS_PERMISSIONS
    serializer_class = OrderSerializer
    queryset = Order.objects.select_related("customer", "placed_by").prefetch_related(
        Prefetch(
            "lines",
            OrderLine.objects.select_related("system", "target_release", "contract").order_by("id"),
        )
    )


ORDER_EXAMPLE = {
    "id": 7,
    "number": "ORD-000007",
    "kind": "renewal",
    "state": "submitted",
    "po_number": "PO-4711",
    "customer": "Globex",
    "placed_by": "alice",
    "currency": "USD",
    "total": "2812.00",
    "submitted_at": "2026-12-01T16:56:00-08:00",
    "booked_on": None,
    "rejection_reason": "",
    "shipped_at": None,
    "shipping_charge": None,
    "installed_on": None,
    "lines": [
        {
            "serial_number": "CX-1",
            "term_months": 13,
            "covers_um_clients": True,
            "covers_tts": True,
            "target_release": None,
            "contract": None,
            "list_price": "2015.00",
            "net_price": "1612.00",
        },
        {
            "serial_number": "CX-2",
            "term_months": 12,
            "covers_um_clients": False,
            "covers_tts": False,
            "target_release": None,
            "contract": None,
            "list_price": "1500.00",
            "net_price": "1200.00",
        },
    ],
}


@extend_schema_view(get=extend_schema(summary="The caller's orders and their state"))
class OrderListCreate(OrderQuerysetMixin, generics.ListCreateAPIView):
    """The caller's orders, newest first; POST places one (or returns the PO's order)."""

    filterset_fields = ["state", "kind"]

    @extend_schema(
        summary="Place a renewal, plan, software upgrade or no-charge upgrade order",
        request=OrderCreateSerializer,
        responses={
            201: OpenApiResponse(OrderSerializer, "Placed: every rule allowed it as of today."),
            200: OpenApiResponse(OrderSerializer, "This PO number's order, placed before."),
        },
        examples=[OpenApiExample("A renewal order", value=ORDER_EXAMPLE, response_only=True)],
    )
    def post(self, request, *args, **kwargs) -> Response:
        given = OrderCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        order, created = services.order_submit(
            user=request.user,
            kind=data["kind"],
            po_number=data["po_number"],
            customer_name=data["customer_name"],
            lines=[LineRequest(**line) for line in data["lines"]],
        )
        body = OrderSerializer(selectors.order_get(request.user, order.pk)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema_view(
    get=extend_schema(
        summary="One order",
        examples=[OpenApiExample("A renewal order", value=ORDER_EXAMPLE, response_only=True)],
    )
)
class OrderRetrieve(OrderQuerysetMixin, generics.RetrieveAPIView):
    """One order; another reseller's order is a 404, like a missing one."""


class AccountNumberField(serializers.CharField):
    """A reseller's account number; `?reseller=` with nothing after it is a 400, not "mine"."""

    def get_value(self, dictionary):
        if self.field_name in dictionary:
            return dictionary.get(self.field_name)
        return serializers.empty


class ResellerQuery(serializers.Serializer):
    """`?reseller=ACCOUNT`: which reseller's figures; staff must name one, others see theirs."""

    reseller = AccountNumberField(
        required=False,
        max_length=32,
        help_text="The reseller's account number: required for staff; others see their own.",
    )

    def validate(self, data: dict) -> dict:
        user = self.context["user"]
        if user.is_staff and user.reseller_id is None and not data.get("reseller"):
            raise serializers.ValidationError(
                {"reseller": ["Name the reseller: add reseller=ACCOUNT (e.g. R-1001)."]}
            )
        return data


class RenewalDueQuery(ResellerQuery):
    on = IsoDateField(
        required=False, help_text="YYYY-MM-DD; defaults to today in the reseller's region."
    )


class RenewalDueSerializer(serializers.Serializer):
    serial_number = serializers.CharField()
    customer = serializers.CharField()
    product = serializers.CharField()
    coverage_ends_on = serializers.DateField()
    renew_by = serializers.DateField()
    section = serializers.ChoiceField(choices=[EXPIRED, DUE])
    requires_um_coverage = serializers.BooleanField()
    requires_tts_coverage = serializers.BooleanField()


class RenewalDueList(serializers.Serializer):
    results = RenewalDueSerializer(many=True)


# What a report about one reseller (renewals/due, renewals/outcomes) refuses, besides bad input.
RESELLER_REPORT_REFUSALS = {
    401: OpenApiResponse(description="Not signed in."),
    403: OpenApiResponse(description="No XpressCare Contracts access."),
    404: OpenApiResponse(description="No such reseller, or another reseller's."),
}


class RenewalDueView(APIView):
    """What the monthly renewal e-mail for a date lists (SPEC §6.2 renewals/due)."""

    permission_classes = CONTRACTS_PERMISSIONS

    @extend_schema(
        parameters=[RenewalDueQuery],
        responses={
            200: RenewalDueList,
            400: OpenApiResponse(description="A wrong date, or staff did not name a reseller."),
            **RESELLER_REPORT_REFUSALS,
        },
    )
    def get(self, request: Request) -> Response:
        query = RenewalDueQuery(data=request.query_params, context={"user": request.user})
        query.is_valid(raise_exception=True)
        reseller = selectors.due_reseller_get(request.user, query.validated_data.get("reseller"))
        on = query.validated_data.get("on") or reseller.region.today(timezone.now())
        rows = renewal_due_list(reseller, on).rows
        return Response({"results": RenewalDueSerializer(rows, many=True).data})


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN})
class MonthField(serializers.CharField):
    """A month written YYYY-MM, between 1900-01 and 2999-12: its first day."""

    default_error_messages = {"invalid": "Enter a month as YYYY-MM, between 1900-01 and 2999-12."}
    get_value = AccountNumberField.get_value  # `?from=` with nothing after it is a 400

    def to_internal_value(self, value) -> date:
        text = str(value).strip()
        if not re.fullmatch(MONTH_PATTERN, text):
            self.fail("invalid")
        return date(int(text[:4]), int(text[5:]), 1)


class OutcomesQuery(ResellerQuery):
    """`?from=YYYY-MM&to=YYYY-MM`: the months whose opportunities count (default: the last 12)."""

    def get_fields(self) -> dict:
        fields = super().get_fields()
        fields["from"] = MonthField(required=False, help_text="First month, YYYY-MM.")
        fields["to"] = MonthField(required=False, help_text="Last month (included), YYYY-MM.")
        return fields

    def validate(self, data: dict) -> dict:
        data = super().validate(data)
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            raise serializers.ValidationError({"to": ["The last month comes before the first."]})
        return data


class OutcomesSerializer(serializers.Serializer):
    """SPEC §6.2 renewals/outcomes: opportunities per outcome (§1.9) and the on-time rate."""

    on_time = serializers.IntegerField()
    in_grace = serializers.IntegerField()
    declined = serializers.IntegerField()
    lapsed = serializers.IntegerField()
    open = serializers.IntegerField()
    on_time_rate = serializers.FloatField(
        allow_null=True, help_text="on_time ÷ all but open ones; null when none has an outcome."
    )


class RenewalOutcomesView(APIView):
    """What became of the renewal opportunities of some months (SPEC §6.2 renewals/outcomes)."""

    permission_classes = CONTRACTS_PERMISSIONS

    @extend_schema(
        parameters=[OutcomesQuery],
        responses={
            200: OutcomesSerializer,
            400: OpenApiResponse(description="Wrong months, or staff did not name a reseller."),
            **RESELLER_REPORT_REFUSALS,
        },
    )
    def get(self, request: Request) -> Response:
        query = OutcomesQuery(data=request.query_params, context={"user": request.user})
        query.is_valid(raise_exception=True)
        given = query.validated_data
        reseller = selectors.due_reseller_get(request.user, given.get("reseller"))
        today = reseller.region.today(timezone.now())
        last = given.get("to") or today.replace(day=1)
        first = given.get("from") or last - relativedelta(months=11)
        ends = last + relativedelta(months=1) - timedelta(days=1)
        outcomes = outcome_counts(reseller, first, ends, today)
        body = {outcome.value: count for outcome, count in outcomes.counts.items()}
        return Response(OutcomesSerializer({**body, "on_time_rate": outcomes.rate}).data)


urlpatterns = [
    path("orders/", OrderListCreate.as_view(), name="order-list"),
    path("orders/<int:pk>/", OrderRetrieve.as_view(), name="order-detail"),
    path("renewals/due/", RenewalDueView.as_view(), name="renewals-due"),
    path("renewals/outcomes/", RenewalOutcomesView.as_view(), name="renewals-outcomes"),
    path("calendar/", CalendarFeedView.as_view(), name="api-calendar"),
]
