from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path(
        "letters/request/<int:contract_id>/",
        views.letter_request_view,
        name="letter-request",
    ),
    path("letters/<int:letter_id>/download/", views.letter_download, name="letter-download"),
]
