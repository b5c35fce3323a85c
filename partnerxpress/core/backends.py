"""The portal's sign-in backend."""

from django.contrib.auth import backends, get_user_model


class ModelBackend(backends.ModelBackend):
    """Django's password sign-in; a signed-in user comes with the reseller and region that
    every page needs (two queries fewer on each)."""

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related("reseller__region")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
