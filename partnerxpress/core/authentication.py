"""API authentication (its own module: REST framework imports it while loading its settings)."""

from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, loading the user's reseller and region with the token:
    tenancy and "today" need both on every request (two queries fewer each)."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        token = model.objects.select_related("user__reseller__region").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return token.user, token
