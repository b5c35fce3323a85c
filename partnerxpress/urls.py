from django.contrib import admin
from django.urls import include, path

from contracts.views import home

admin.site.site_header = "PartnerXpress back office"
admin.site.site_title = "PartnerXpress admin"
admin.site.index_title = "XpressCare back office"

urlpatterns = [
    path("", home, name="home"),
    path("", include("contracts.urls")),
    path("orders/", include("renewals.urls")),
    path("upgrades/", include("upgrades.urls")),
    path("support/", include("incidents.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("partnerxpress.api_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
