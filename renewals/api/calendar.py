"""The caller's calendar feed through the API (SPEC §6.2, §6.5): POST turns it on or gives it
a new address, DELETE turns it off. Always the caller's own feed: no one else's can be named."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partnerxpress.core.api import CONTRACTS_PERMISSIONS
from partnerxpress.core.policy import can_subscribe_to_calendar
from renewals.calendar import calendar_feed_address
from renewals.services.calendar import NOT_OFFERED, calendar_feed_turn_off, calendar_feed_turn_on


class CanSubscribeToCalendar(permissions.BasePermission):
    """Staff see every reseller's systems: the feed is for one reseller's users."""

    message = NOT_OFFERED

    def has_permission(self, request, view) -> bool:
        return can_subscribe_to_calendar(request.user)


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(
        help_text=(
            "The feed's absolute address, to subscribe to from a calendar program (no sign-in). "
            "Shown only in this answer: the portal keeps a hash of it, never the address."
        )
    )


FEED_EXAMPLE = {
    "url": "https://portal.example.com/calendar/q3Yb8uV1n0Jm4XcT2sLr9WfKpE6aHdGzQy7oNiBtUvM.ics"
}


class CalendarFeedView(APIView):
    """The caller's calendar feed: one all-day event per renewable system on its renew-by date."""

    permission_classes = [*CONTRACTS_PERMISSIONS, CanSubscribeToCalendar]

    @extend_schema(
        summary="Turn the caller's calendar feed on, or give it a new address",
        description=(
            "Answers the feed's new address. A feed that was on gets a new address: the old one "
            "answers 404 from now on. Staff (no reseller) get 403."
        ),
        request=None,
        responses={200: CalendarFeedSerializer},
        examples=[OpenApiExample("The new address", value=FEED_EXAMPLE, response_only=True)],
    )
    def post(self, request: Request) -> Response:
        token = calendar_feed_turn_on(user=request.user)
        return Response(CalendarFeedSerializer({"url": calendar_feed_address(token)}).data)

    @extend_schema(
        summary="Turn the caller's calendar feed off",
        description="Its address answers 404 from now on. 204 also when it was off already.",
        request=None,
        responses={204: OpenApiResponse(description="Off.")},
    )
    def delete(self, request: Request) -> Response:
        calendar_feed_turn_off(user=request.user)
        return Response(status=204)
