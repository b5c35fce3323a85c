"""`{% system_rows rows grouped query selected %}`: the rows of the XpressCare Contracts table.

Written here, not as a `{% for %}` in the template: the template engine resolves each of a
row's ~25 variables, filters and `{% url %}` one by one, which cost about half of the page
(50 rows: ~20 ms); `format_html` writes the same markup in a tenth of that. A renewal
decision is still the shared partial `contracts/_decision_tag.html`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from contracts.selectors.rows import ListRow
from contracts.templatetags.money import money
from partnerxpress.core.locales import day_text

register = template.Library()

NO_VALUE = mark_safe('<span class="muted">—</span>')

GROUP = (
    '\n    <tr class="group"><th colspan="8" scope="rowgroup">\n'
    '      <a href="?{}customer={}" class="group__link">{}</a>\n'
    "    </th></tr>\n    "
)
SELECT = (
    '<input type="hidden" name="shown" value="{0}">'
    '<input type="checkbox" name="add" value="{0}" id="select-{1}"{2}>'
    '<label for="select-{1}" class="sr-only">Select {0} to renew</label>'
)
ROW = (
    '\n    <tr>\n      <td class="select">{select}</td>\n      {customer}\n'
    '      <td class="nowrap card-title"><a href="{url}" class="serial">{serial}</a></td>\n'
    '      <td class="nowrap">{product} <span class="muted">{release}</span></td>\n'
    '      <td><span class="badge badge--{status}">{label}</span>{decision}</td>\n'
    '      <td class="nowrap" data-label="Coverage">{coverage}</td>\n'
    '      <td class="nowrap" data-label="Renew by">{renew_by}</td>\n'
    '      <td class="num nowrap" data-label="12 months">{price}</td>\n'
    '      <td data-label="Add-ons">{add_ons}</td>\n'
    "    </tr>\n  "
)


@register.simple_tag
def system_rows(
    rows: Sequence[ListRow], grouped: bool, query: str, selected: Collection[str]
) -> SafeString:
    """Each row's `<tr>`, after a customer heading where the customer changes when `grouped`."""
    decision_tag = get_template("contracts/_decision_tag.html")
    filtered = mark_safe(f"{escape(query)}&amp;") if query else ""
    parts = []
    previous = None
    for row in rows:
        system, coverage = row.system, row.coverage
        parts.append("\n    ")
        if grouped and system.customer_id != previous:
            parts.append(format_html(GROUP, filtered, system.customer_id, system.customer_name))
        previous = system.customer_id
        select = ""
        if coverage.renewable:
            checked = mark_safe(" checked") if system.serial_number in selected else ""
            select = format_html(SELECT, system.serial_number, system.pk, checked)
        parts.append(
            format_html(
                ROW,
                select=select,
                customer=""
                if grouped
                else format_html('<td data-label="Customer">{}</td>', system.customer_name),
                url=reverse("system", args=[system.serial_number]),
                serial=system.serial_number,
                product=system.product_name,
                release=system.release_version,
                status=coverage.status,
                label=row.status_label,
                decision=decision_tag.render({"decision": row.decision}) if row.decision else "",
                coverage=format_html("{} – {}", _day(coverage.starts_on), _day(coverage.ends_on))
                if coverage.starts_on
                else NO_VALUE,
                renew_by=_day(coverage.renew_by) if coverage.renew_by else NO_VALUE,
                price=money(row.renewal_price.net_price, row.renewal_price.currency)
                if row.renewal_price
                else NO_VALUE,
                add_ons=_add_ons(row),
            )
        )
    return mark_safe("".join(parts))


def _add_ons(row: ListRow) -> SafeString:
    um = '<span class="tag">UM clients</span> ' if row.covers_um_clients else ""
    tts = '<span class="tag">TTS</span>' if row.covers_tts else ""
    none = "" if um or tts else '<span class="muted">none</span>'
    return mark_safe(f"{um}{tts}\n        {none}")


def _day(day: date) -> str:
    """`{{ day|date }}`: a page shows 150 dates, and formatting one costs 40 µs."""
    return _day_in(day, get_language())


# A few thousand distinct days (three years of coverage ends) in a few languages.
@lru_cache(maxsize=8192)
def _day_in(day: date, language: str) -> str:
    return day_text(day)
