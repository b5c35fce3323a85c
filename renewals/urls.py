"""Portal addresses of orders, under /orders/."""

from django.urls import path

from renewals import views

app_name = "renewals"
urlpatterns = [
    path("", views.order_list, name="orders"),
    path("<int:pk>/", views.order_detail, name="order"),
    path("new/", views.order_start, name="order_start"),
    path("new/renewal/<int:customer_pk>/", views.renewal_new, name="renewal_new"),
    path("new/<str:kind>/", views.order_new, name="order_new"),
]
