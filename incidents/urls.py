"""Portal addresses of support, under /support/."""

from django.urls import path

from incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("new/", views.case_new, name="case_new"),
    path("<int:pk>/", views.case_detail, name="case"),
]
