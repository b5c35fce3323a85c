"""The default price list and term discounts of SPEC §1.7, effective from 2000-01-01.

Staff replace them in admin (a newer entry takes over from its date); a fresh install can
price every purchase at once.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

EFFECTIVE_FROM = date(2000, 1, 1)
# product, currency: XpressCare a year, per UM client a year, per TTS channel a year, upgrade
PRICES = {
    ("CallXpress", "USD"): ("1200.00", "6.00", "150.00", "2500.00"),
    ("Seneca", "USD"): ("950.00", "6.00", "150.00", "1900.00"),
    ("CallXpress", "GBP"): ("960.00", "4.80", "120.00", "2000.00"),
    ("Seneca", "GBP"): ("760.00", "4.80", "120.00", "1520.00"),
}
TERM_DISCOUNTS = {24: "5.00", 36: "10.00"}


def install(apps, schema_editor):
    Product = apps.get_model("contracts", "Product")
    PriceListEntry = apps.get_model("contracts", "PriceListEntry")
    TermDiscount = apps.get_model("contracts", "TermDiscount")
    for (name, currency), amounts in PRICES.items():
        product, _ = Product.objects.get_or_create(
            name=name, defaults={"is_xpresscare_eligible": True}
        )
        annual, um_client, tts_channel, upgrade = (Decimal(amount) for amount in amounts)
        PriceListEntry.objects.get_or_create(
            product=product,
            currency=currency,
            effective_from=EFFECTIVE_FROM,
            defaults={
                "xpresscare_annual": annual,
                "um_client_annual": um_client,
                "tts_channel_annual": tts_channel,
                "upgrade": upgrade,
            },
        )
    for term, percent in TERM_DISCOUNTS.items():
        TermDiscount.objects.get_or_create(term_months=term, defaults={"percent": Decimal(percent)})


class Migration(migrations.Migration):
    dependencies = [("contracts", "0007_prices")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
