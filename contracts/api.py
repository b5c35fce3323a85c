"""REST API of the contracts app (SPEC §6.2); mounted under /api/v1/.

Customers, systems (by serial number, with entitlement and renewal options) and contracts,
read-only, behind XpressCare Contracts access and scoped to the caller's reseller.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from contracts import services
from contracts.filters import ContractFilter, CustomerFilter, SystemFilter
from contracts.models import Contract, Customer
from contracts.selectors import (
    SYSTEM_ROWS,
    decided,
    release_versions,
    system_rows,
    system_values,
)
from contracts.serializers import (
    ContractSerializer,
    CustomerSerializer,
    EntitlementSerializer,
    RenewalDecisionSerializer,
    RenewalOptionsSerializer,
    SystemSerializer,
)
from partnerxpress.core.api import ContractsReadOnlyViewSet, OnDateQuery
from partnerxpress.core.tenancy import user_today

ENTITLEMENT_EXAMPLE = {
    "serial_number": "CX-1",
    "product": "CallXpress",
    "release": "8.0",
    "on": "2026-11-26",
    "status": "expiring",
    "covered": True,
    "coverage_starts_on": "2026-01-01",
    "coverage_ends_on": "2026-12-31",
    "renewable": True,
    "renew_by": "2027-01-30",
    "upgrade_eligible": True,
    "upgrade_to": "8.1",
    "support_eligible": True,
    "requires_um_coverage": False,
    "requires_tts_coverage": True,
}
RENEWAL_OPTIONS_EXAMPLE = {
    "serial_number": "CX-1",
    "on": "2026-11-26",
    "renewable": True,
    "reason": None,
    "requires_um_coverage": False,
    "requires_tts_coverage": True,
    "currency": "USD",
    "options": [
        {
            "term_months": 12,
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
            "list_price": "1500.00",
            "net_price": "1200.00",
        },
        {
            "term_months": 13,
            "starts_on": "2027-01-01",
            "ends_on": "2028-01-31",
            "list_price": "1625.00",
            "net_price": "1300.00",
        },
    ],
}
DECISION_EXAMPLE = {
    "decision": "will_not_renew",
    "reason": "decommissioned",
    "note": "Replaced by the new site's system in March.",
    "until": None,
    "chain_ends_on": "2026-12-31",
    "decided_by": "alice",
    "decided_at": "2026-11-26T16:12:00-08:00",
}


SERIAL_NUMBER = OpenApiParameter(
    "serial_number",
    str,
    OpenApiParameter.PATH,
    description="The system's serial number (unique across the vendor).",
    examples=[OpenApiExample("CX-1", value="CX-1")],
)


@extend_schema_view(
    list=extend_schema(summary="Customers of the caller's reseller"),
    retrieve=extend_schema(summary="One customer"),
)
class CustomerViewSet(ContractsReadOnlyViewSet):
    """End customers of the caller's reseller (staff: of every reseller)."""

    queryset = Customer.objects.select_related("reseller")
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter


@extend_schema_view(
    list=extend_schema(
        summary="Systems and their coverage today",
        description="Filters and sorts of the portal's XpressCare Contracts list.",
    ),
    retrieve=extend_schema(summary="One system and its coverage today", parameters=[SERIAL_NUMBER]),
)
class SystemViewSet(ContractsReadOnlyViewSet):
    """Installed CallXpress, Seneca and RightFax systems, looked up by serial number.

    Status and dates follow SPEC §1.3 on the caller's "today" (the reseller's region), or on
    `?on=` for `entitlement` and `renewal-options`.
    """

    serializer_class = SystemSerializer
    filterset_class = SystemFilter
    lookup_field = "serial_number"
    lookup_value_regex = "[^/]+"

    queryset = SYSTEM_ROWS.select_related("reseller__region").prefetch_related(
        Prefetch("contracts", queryset=Contract.objects.order_by("starts_on"))
    )

    def base_queryset(self):
        # A list row's entitlement comes from its coverage summary: plain values, no history.
        if self.action == "list":
            return system_values(user_today(self.request.user))
        return self.queryset.all()

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if self.action in ("list", "retrieve"):
            context.update(on=user_today(self.request.user), versions=release_versions())
        return context

    @extend_schema(
        summary="What the system is entitled to on a date",
        parameters=[SERIAL_NUMBER, OnDateQuery],
        responses=EntitlementSerializer,
        examples=[OpenApiExample("CX-1", value=ENTITLEMENT_EXAMPLE, response_only=True)],
    )
    @action(detail=True, url_path="entitlement")
    def entitlement(self, request, serial_number: str) -> Response:
        on = OnDateQuery.on_date(request)
        row = EntitlementSerializer.row(self.get_object(), on)
        return Response(EntitlementSerializer(row).data)

    @extend_schema(
        summary="Every renewal term the system may be renewed for on a date",
        parameters=[SERIAL_NUMBER, OnDateQuery],
        responses=RenewalOptionsSerializer,
        examples=[OpenApiExample("CX-1", value=RENEWAL_OPTIONS_EXAMPLE, response_only=True)],
    )
    @action(detail=True, url_path="renewal-options")
    def renewal_options(self, request, serial_number: str) -> Response:
        on = OnDateQuery.on_date(request)
        row = RenewalOptionsSerializer.row(self.get_object(), on)
        return Response(RenewalOptionsSerializer(row).data)

    @extend_schema(
        methods=["GET"],
        summary="The renewal decision that applies to the system today (404 when none)",
        parameters=[SERIAL_NUMBER],
        responses=RenewalDecisionSerializer,
        examples=[OpenApiExample("Will not renew", value=DECISION_EXAMPLE, response_only=True)],
    )
    @extend_schema(
        methods=["PUT"],
        summary="Record a renewal decision: will not renew (a reason) or remind me later (a date)",
        parameters=[SERIAL_NUMBER],
        request=RenewalDecisionSerializer,
        responses=RenewalDecisionSerializer,
        examples=[
            OpenApiExample(
                "Will not renew",
                value={"decision": "will_not_renew", "reason": "decommissioned", "note": ""},
                request_only=True,
            ),
            OpenApiExample(
                "Remind me later",
                value={"decision": "remind_later", "until": "2027-01-10"},
                request_only=True,
            ),
            OpenApiExample("Recorded", value=DECISION_EXAMPLE, response_only=True),
        ],
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Withdraw the renewal decision that applies today (kept, stamped withdrawn)",
        parameters=[SERIAL_NUMBER],
        responses={204: None},
    )
    @action(detail=True, methods=["get", "put", "delete"], url_path="renewal-decision")
    def renewal_decision(self, request, serial_number: str) -> Response:
        system = self.get_object()
        if request.method == "PUT":
            given = RenewalDecisionSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            decision = services.renewal_decision_record(
                system=system, user=request.user, **given.validated_data
            )
            return Response(RenewalDecisionSerializer(decision).data)
        if request.method == "DELETE":
            if services.renewal_decision_withdraw(system=system, user=request.user) is None:
                raise NotFound("No renewal decision applies to this system today.")
            return Response(status=204)
        row = decided(
            [system_rows([system], user_today(request.user))[0]], user_today(request.user)
        )[0]
        if row.decision is None:
            raise NotFound("No renewal decision applies to this system today.")
        return Response(RenewalDecisionSerializer(row.decision).data)


@extend_schema_view(
    list=extend_schema(summary="XpressCare contracts (coverage periods), by end date"),
    retrieve=extend_schema(summary="One contract"),
)
class ContractViewSet(ContractsReadOnlyViewSet):
    """XpressCare purchases, each with the coverage period it booked; ordered by end date."""

    queryset = Contract.objects.select_related("system__product").order_by("ends_on")
    serializer_class = ContractSerializer
    filterset_class = ContractFilter


router = SimpleRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("systems", SystemViewSet, basename="system")
router.register("contracts", ContractViewSet, basename="contract")
urlpatterns = router.urls
