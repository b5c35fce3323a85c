app_name = "upgrades"
urlpatterns: list = []
