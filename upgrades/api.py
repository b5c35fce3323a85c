"""REST API of the upgrades app; mounted under /api/v1/."""

urlpatterns: list = []
