"""The REST API: /api/v1/ collections from each app's api.py, the schema and its docs."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.http import JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


def api_not_found(request, rest: str = "") -> JsonResponse:
    """Any other address under /api/v1/ answers a JSON 404 like the API's own, not a page."""
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    path("v1/", include("contracts.api")),
    path("v1/", include("renewals.api")),
    path("v1/", include("upgrades.api")),
    path("v1/", include("incidents.api")),
    re_path(r"^v1/(?P<rest>.*)$", api_not_found),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets inline styles; its script comes from /static/ (the "split" view).
    path(
        "docs/",
        csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="api-docs",
    ),
]
