"""Portal addresses of bulletins and downloads, under /upgrades/."""

from django.urls import path

from upgrades import views

app_name = "upgrades"
urlpatterns = [
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("downloads/", views.download_list, name="downloads"),
    path("downloads/<int:pk>/file/", views.download_file, name="download_file"),
]
