"""The REST API: /api/v1/ collections from each app's api.py, the schema and its docs."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView


def api_not_found(request, rest: str = "") -> JsonResponse:
    """Any other address under /api/v1/ answers a JSON 404 like the API's own, not a page."""
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    path("v1/", include("contracts.api")),
    path("v1/", include("renewals.api")),
    path("v1/", include("upgrades.api")),
    path("v1/", include("incidents.api")),
    path("v1/", include("notifications.api")),
    re_path(r"^v1/(?P<rest>.*)$", api_not_found),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
