"""Portal addresses of orders, under /orders/."""

from django.urls import path

from renewals import views
from renewals.rules import OrderKind
from renewals.views import bulk, pipeline

app_name = "renewals"
urlpatterns = [
    path("", views.order_list, name="orders"),
    path("<int:pk>/", views.order_detail, name="order"),
    path("new/", views.order_start, name="order_start"),
    path("new/renewal/<int:customer_pk>/", views.renewal_new, name="renewal_new"),
    path("quote/<int:customer_pk>/", views.customer_quote, name="customer_quote"),
    path("renew-selected/", bulk.renew_selected, name="renew_selected"),
    path("pipeline/", pipeline.pipeline_page, name="pipeline"),
    path("pipeline/outcomes/", pipeline.opportunities_page, name="opportunities"),
    # One address per kind (`?serial=` prefills the system): no argument names an object here.
    path("new/plan/", views.order_new, {"kind": OrderKind.PLAN}, name="plan_new"),
    path("new/upgrade/", views.order_new, {"kind": OrderKind.UPGRADE}, name="upgrade_new"),
    path(
        "new/no-charge-upgrade/",
        views.order_new,
        {"kind": OrderKind.NO_CHARGE_UPGRADE},
        name="no_charge_upgrade_new",
    ),
]
