"""Portal addresses of XpressCare Contracts (SPEC §6.3); Home (`/`) and the system page, which
show other apps' data too, are in the project's urls."""

from django.urls import path

from contracts import views
from contracts.views import letters

app_name = "contracts"
urlpatterns = [
    path("contracts/", views.system_list, name="list"),
    path("contracts/export.csv", views.system_export, name="export"),
    path("contracts/request-access/", views.access_request, name="request_access"),
    path("contracts/selection/", views.selection_update, name="selection"),
    path("contracts/selection/decide/", views.selection_decide, name="selection_decide"),
    path("systems/<str:serial_number>/decision/", views.decision_update, name="decision"),
    path(
        "contracts/letters/request/<int:contract_id>/",
        letters.letter_request_view,
        name="letter-request",
    ),
    path(
        "contracts/letters/<int:letter_id>/download/",
        letters.letter_download,
        name="letter-download",
    ),
]
