from django.contrib import admin
from django.urls import include, path

from contracts.views import accounts, home
from partnerxpress.views import system_detail
from renewals.views import calendar

admin.site.site_header = "PartnerXpress back office"
admin.site.site_title = "PartnerXpress admin"
admin.site.index_title = "XpressCare back office"
# The start page lists what waits and every model; without the side bar, lists get the width
# of the screen instead of a scroll bar at 1366 px.
admin.site.enable_nav_sidebar = False

handler400 = "partnerxpress.core.error_pages.bad_request"
handler500 = "partnerxpress.core.error_pages.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("", include("contracts.urls")),
    path("systems/<str:serial_number>/", system_detail, name="system"),
    path("orders/", include("renewals.urls")),
    # Short addresses: the feed's is typed into calendar programs; the token is its only key.
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("upgrades/", include("upgrades.urls")),
    path("support/", include("incidents.urls")),
    path("api/", include("partnerxpress.api_urls")),
    # Before the auth URLs: the reset e-mail goes through the outbox like every other e-mail,
    # and requests are throttled.
    path(
        "accounts/password_reset/",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
