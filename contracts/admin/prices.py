"""Back office of prices (SPEC §1.7): the price list and the term discounts, with history.

A reseller's discount is on its own page (people.ResellerAdmin).
"""

from django.contrib import admin

from contracts.models import PriceListEntry, TermDiscount
from partnerxpress.core.admin import HistoryAdmin


@admin.register(PriceListEntry)
class PriceListEntryAdmin(HistoryAdmin):
    """Add an entry with a later `effective_from` to change prices from that day; submitted
    orders keep the entry they were priced with."""

    list_display = [
        "product",
        "currency",
        "effective_from",
        "xpresscare_annual",
        "um_client_annual",
        "tts_channel_annual",
        "upgrade",
    ]
    list_filter = ["product", "currency"]
    date_hierarchy = "effective_from"
    list_select_related = ["product"]


@admin.register(TermDiscount)
class TermDiscountAdmin(HistoryAdmin):
    """Discounts by term (24 months 5 %, 36 months 10 % unless staff change them)."""

    list_display = ["term_months", "percent"]
