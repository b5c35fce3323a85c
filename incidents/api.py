"""REST API of the incidents app; mounted under /api/v1/."""

urlpatterns: list = []
