"""`{{ order.po_number|po }}`: a PO number in a sentence (contracts.wording.po_text)."""

from __future__ import annotations

from django import template

from contracts.wording import po_text

register = template.Library()


@register.filter
def po(po_number: str | None) -> str:
    return po_text(po_number) if po_number else ""
