"""REST API of the notifications app; mounted under /api/v1/."""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.selectors import due_reseller_get
from partnerxpress.core.api import CONTRACTS_PERMISSIONS, IsoDateField
from renewals.due import DUE, EXPIRED, renewal_due_list


class AccountNumberField(serializers.CharField):
    """A reseller's account number; `?reseller=` with nothing after it is a 400, not "mine"."""

    def get_value(self, dictionary):
        if self.field_name in dictionary:
            return dictionary.get(self.field_name)
        return serializers.empty


class RenewalDueQuery(serializers.Serializer):
    on = IsoDateField(
        required=False, help_text="YYYY-MM-DD; defaults to today in the reseller's region."
    )
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


class RenewalDueView(APIView):
    """What the monthly renewal e-mail for a date lists (SPEC §6.2 renewals/due)."""

    permission_classes = CONTRACTS_PERMISSIONS

    @extend_schema(
        parameters=[RenewalDueQuery],
        responses={
            200: RenewalDueList,
            400: OpenApiResponse(description="A wrong date, or staff did not name a reseller."),
            401: OpenApiResponse(description="Not signed in."),
            403: OpenApiResponse(description="No XpressCare Contracts access."),
            404: OpenApiResponse(description="No such reseller, or another reseller's."),
        },
    )
    def get(self, request: Request) -> Response:
        query = RenewalDueQuery(data=request.query_params, context={"user": request.user})
        query.is_valid(raise_exception=True)
        reseller = due_reseller_get(request.user, query.validated_data.get("reseller"))
        on = query.validated_data.get("on") or reseller.region.today(timezone.now())
        rows = renewal_due_list(reseller, on).rows
        return Response({"results": RenewalDueSerializer(rows, many=True).data})


urlpatterns = [path("renewals/due/", RenewalDueView.as_view(), name="renewals-due")]
