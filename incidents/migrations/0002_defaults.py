"""Install the defaults of SPEC §4.1 and §4.3 so a fresh portal can quote at once.

Business hours per region (Mon–Fri; NA 05:00–17:00 Pacific, EMEA 08:00–17:00 GMT; the zones are
the regions' own), the rate card, and the Support staff group's permissions on support.
Staff change all of it in admin; running this again changes nothing that exists.
"""

from datetime import time
from decimal import Decimal

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

HOURS = {"NA": (time(5), time(17)), "EMEA": (time(8), time(17))}
# (from age, to age, hours, hourly rate, minimum minutes)
RATE_CARD = [
    (0, 2, "business", "150.00", 60),
    (3, 4, "business", "175.00", 60),
    (5, None, "business", "210.00", 60),
    (0, 2, "after", "225.00", 120),
    (3, 4, "after", "260.00", 120),
    (5, None, "after", "315.00", 120),
]
SUPPORT_PERMISSIONS = [
    "view_case",
    "change_case",
    "view_timeentry",
    "add_timeentry",
    "view_rate",
    "view_businesshours",
    "view_holiday",
]


def install(apps, schema_editor):
    Region = apps.get_model("contracts", "Region")
    BusinessHours = apps.get_model("incidents", "BusinessHours")
    Rate = apps.get_model("incidents", "Rate")
    for code, (opens, closes) in HOURS.items():
        region = Region.objects.filter(code=code).first()
        if region is not None:
            BusinessHours.objects.get_or_create(
                region=region, defaults={"opens_at": opens, "closes_at": closes}
            )
    for low, high, hours, rate, minimum in RATE_CARD:
        Rate.objects.get_or_create(
            hours=hours,
            min_age_years=low,
            defaults={
                "max_age_years": high,
                "hourly_rate": Decimal(rate),
                "minimum_minutes": minimum,
            },
        )
    grant_support_permissions(apps)


def grant_support_permissions(apps):
    # Permissions are normally created after all migrations; create ours now to grant them
    # (from the installed app's config: a migration's app stub has no models module).
    create_permissions(global_apps.get_app_config("incidents"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Support")
    permissions = Permission.objects.filter(
        content_type__app_label="incidents", codename__in=SUPPORT_PERMISSIONS
    )
    group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("contracts", "0002_regions_products_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
