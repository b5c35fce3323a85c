"""REST API of the incidents app; mounted under /api/v1/. For certified technicians (and staff)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.selectors import system_get
from incidents import selectors, services
from incidents.filters import CaseFilter
from incidents.forms import MAX_ESTIMATE_MINUTES
from incidents.models import Case, TimeEntry
from partnerxpress.core.api import SUPPORT_PERMISSIONS, IsoDateTimeField, ScopedQuerysetMixin

REFUSALS = {
    400: OpenApiResponse(description="Invalid input, or a rule refused it (a message per field)."),
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="Not a certified technician with a current certification."),
    404: OpenApiResponse(description="No such system (or case) among the caller's."),
}


class QuoteRequestSerializer(serializers.Serializer):
    serial_number = serializers.CharField(max_length=64)
    started_at = IsoDateTimeField(
        help_text="When support would start (ISO 8601, from 1900-01-01 to 2999-12-31)."
    )
    minutes = serializers.IntegerField(min_value=0, max_value=MAX_ESTIMATE_MINUTES)
    system_down = serializers.BooleanField(default=False)


class QuoteSerializer(serializers.Serializer):
    """SPEC §6.2; times in the system's region time zone, money as strings."""

    billable = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True)
    business_hours = serializers.BooleanField()
    available = serializers.BooleanField()
    next_business_hours_start = serializers.DateTimeField(allow_null=True)
    age_years = serializers.IntegerField(allow_null=True)
    hourly_rate = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    minimum_minutes = serializers.IntegerField(allow_null=True)
    billable_minutes = serializers.IntegerField(allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class QuoteView(APIView):
    """Per-incident quote for a system: what support starting at a time would cost."""

    permission_classes = SUPPORT_PERMISSIONS

    @extend_schema(request=QuoteRequestSerializer, responses={200: QuoteSerializer, **REFUSALS})
    def post(self, request):
        given = QuoteRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        system = system_get(request.user, given.validated_data.pop("serial_number"))
        quote = selectors.quote_get(system=system, **given.validated_data)
        with timezone.override(system.reseller.region.zone):
            return Response(QuoteSerializer(quote).data)


class TimeEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeEntry
        fields = ["worked_on", "minutes", "note"]


class CaseSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    serial_number = serializers.CharField(source="system.serial_number")
    customer = serializers.CharField(source="system.customer_name")
    product = serializers.CharField(source="system.product.name")
    release = serializers.CharField(source="system.release.version")
    opened_by = serializers.CharField(source="opened_by.username")
    time_entries = TimeEntrySerializer(many=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "serial_number",
            "customer",
            "product",
            "release",
            "kind",
            "severity",
            "status",
            "summary",
            "description",
            "contact_phone",
            "po_number",
            "opened_by",
            "opened_at",
            "starts_at",
            "business_hours",
            "after_hours_callback",
            "age_years",
            "hourly_rate",
            "minimum_minutes",
            "closed_at",
            "resolution",
            "minutes_worked",
            "billable_minutes",
            "amount",
            "time_entries",
        ]
        read_only_fields = fields


class CaseOpenSerializer(serializers.Serializer):
    serial_number = serializers.CharField(max_length=64)
    severity = serializers.ChoiceField(choices=Case.Severity.choices)
    summary = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=40)
    po_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    accept_next_opening = serializers.BooleanField(
        default=False,
        help_text="Outside business hours, open a normal per-incident case for the next opening.",
    )


class CaseQuerysetMixin(ScopedQuerysetMixin):
    permission_classes = SUPPORT_PERMISSIONS
    serializer_class = CaseSerializer
    queryset = selectors.CASE_ROWS.prefetch_related(
        Prefetch("time_entries", queryset=TimeEntry.objects.order_by("worked_on", "id"))
    )


class CaseListView(CaseQuerysetMixin, generics.ListCreateAPIView):
    """The caller's reseller's support cases, newest first; POST opens one (SPEC §4.2)."""

    filterset_class = CaseFilter

    @extend_schema(request=CaseOpenSerializer, responses={201: CaseSerializer, **REFUSALS})
    def post(self, request):
        given = CaseOpenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        system = system_get(request.user, given.validated_data.pop("serial_number"))
        case = services.case_open(
            user=request.user, system=system, now=timezone.now(), **given.validated_data
        )
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetailView(CaseQuerysetMixin, generics.RetrieveAPIView):
    """One case with its time entries and, once closed, its bill."""


urlpatterns = [
    path("incidents/", CaseListView.as_view(), name="api-incident-list"),
    path("incidents/quote/", QuoteView.as_view(), name="api-incident-quote"),
    path("incidents/<int:pk>/", CaseDetailView.as_view(), name="api-incident-detail"),
]
