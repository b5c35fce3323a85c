from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnerxpress.core"
    label = "core"
    verbose_name = "PartnerXpress core"
