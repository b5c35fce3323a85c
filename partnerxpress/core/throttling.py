"""The API's request budget (a REST_FRAMEWORK default: imports nothing of DRF's views)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle


class UserThrottle(UserRateThrottle):
    """A request budget per user (per address when anonymous); the rate is read per request."""

    def get_rate(self) -> str | None:
        # DRF binds the rates when the module loads; settings changed later must still count.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
