"""`{{ amount|money:currency }}`: an amount with its currency, in the reader's locale."""

from django import template

from partnerxpress.core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    return format_money(amount, currency)
