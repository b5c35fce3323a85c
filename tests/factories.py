"""factory_boy factories for the domain; regions and products are looked up, not duplicated."""

from datetime import date

import factory

from contracts import models


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ("code",)

    code = "NA"
    name = factory.LazyAttribute(lambda o: {"NA": "North America"}.get(o.code, o.code))
    time_zone = factory.LazyAttribute(
        lambda o: {"NA": "America/Los_Angeles", "EMEA": "Etc/GMT"}.get(o.code, "UTC")
    )
    language = factory.LazyAttribute(lambda o: "en-gb" if o.code == "EMEA" else "en-us")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@avst.example")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "partnerxpress")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ResellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Reseller
        django_get_or_create = ("account_number",)

    account_number = factory.Sequence(lambda n: f"R-{1001 + n}")
    name = factory.Sequence(lambda n: f"Reseller {n}")
    region = factory.SubFactory(RegionFactory)
    sales_representative = factory.SubFactory(StaffFactory)


class UserFactory(StaffFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@reseller.example")
    is_staff = False
    reseller = factory.SubFactory(ResellerFactory)
    has_contracts_access = True


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Customer
        django_get_or_create = ("reseller", "name")

    reseller = factory.SubFactory(ResellerFactory)
    name = factory.Sequence(lambda n: f"Customer {n:04d}")
    site_address = "1 Main Street, Springfield"
    country = "United States"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Product
        django_get_or_create = ("name",)

    name = "CallXpress"
    is_xpresscare_eligible = factory.LazyAttribute(lambda o: o.name != "RightFax")


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Release
        django_get_or_create = ("product", "version")

    product = factory.SubFactory(ProductFactory)
    version = "8.0"


class SystemFactory(factory.django.DjangoModelFactory):
    """A system recorded through `system_create`, as staff and the import record one."""

    class Meta:
        model = models.System

    serial_number = factory.Sequence(lambda n: f"CX-{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    product = factory.SubFactory(ProductFactory)
    release = factory.SubFactory(ReleaseFactory, product=factory.SelfAttribute("..product"))
    installed_on = date(2022, 3, 15)
    um_clients = 0
    tts_channels = 0

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from contracts.services import system_create

        return system_create(**kwargs)
