"""Install what a fresh portal needs before anyone logs in: regions, products, staff groups.

Releases are not installed here: they come from admin, the import or the demo data.
"""

from django.db import migrations

REGIONS = [
    ("NA", "North America", "America/Los_Angeles"),
    ("EMEA", "Europe, Middle East and Africa", "Etc/GMT"),
]
PRODUCTS = [("CallXpress", True), ("Seneca", True), ("RightFax", False)]
GROUPS = ["Order desk", "Support", "Sales"]


def install(apps, schema_editor):
    Region = apps.get_model("contracts", "Region")
    Product = apps.get_model("contracts", "Product")
    Group = apps.get_model("auth", "Group")
    for code, name, zone in REGIONS:
        Region.objects.get_or_create(code=code, defaults={"name": name, "time_zone": zone})
    for name, eligible in PRODUCTS:
        Product.objects.get_or_create(name=name, defaults={"is_xpresscare_eligible": eligible})
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
