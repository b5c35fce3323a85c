"""The REST API: /api/v1/ collections from each app's api.py, the schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("v1/", include("contracts.api")),
    path("v1/", include("renewals.api")),
    path("v1/", include("upgrades.api")),
    path("v1/", include("incidents.api")),
    path("v1/", include("notifications.api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
