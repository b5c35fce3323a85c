"""`{% system_rows rows grouped query selected %}`: the rows of the XpressCare Contracts table.

Written here, not as a `{% for %}` in the template: the template engine resolves each of a
row's ~25 variables, filters and `{% url %}` one by one, which cost about half of the page
(50 rows: ~20 ms); written out here, the same markup costs a tenth of that. A renewal
decision is still the shared partial `contracts/_decision_tag.html`. The page's HTML must
stay byte for byte what the loop wrote (docs/benchmarks.md says how it was compared).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Sequence
from datetime import date
from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from contracts import rules
from contracts.selectors.rows import ListRow
from contracts.templatetags.money import money
from partnerxpress.core.locales import day_text

register = template.Library()

NO_VALUE = '<span class="muted">—</span>'

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
    """Each row's `<tr>`, after a customer heading where the customer changes when `grouped`.

    Text is escaped as `{{ }}` escapes it (Django's `escape` is `html.escape`), called directly:
    through `format_html` the escaping alone cost 3 ms a page."""
    decision_tag = get_template("contracts/_decision_tag.html")
    system_url = _system_url()
    filtered = f"{_e(query)}&amp;" if query else ""
    parts = []
    previous = None
    for row in rows:
        system = row.system
        parts.append("\n    ")
        if grouped and system.customer_id != previous:
            parts.append(GROUP.format(filtered, system.customer_id, _e(system.customer_name)))
        previous = system.customer_id
        decision = decision_tag.render({"decision": row.decision}) if row.decision else ""
        parts.append(_row(row, grouped, selected, system_url(system.serial_number), decision))
    return mark_safe("".join(parts))


def _row(row: ListRow, grouped: bool, selected: Collection[str], url: str, decision: str) -> str:
    """One system's `<tr>`; `decision` is its decision tag, already HTML."""
    system, coverage = row.system, row.coverage
    serial = _e(system.serial_number)
    select = ""
    if coverage.renewable:
        checked = " checked" if system.serial_number in selected else ""
        select = SELECT.format(serial, system.pk, checked)
    customer = "" if grouped else f'<td data-label="Customer">{_e(system.customer_name)}</td>'
    price = row.renewal_price
    return ROW.format(
        select=select,
        customer=customer,
        url=_e(url),
        serial=serial,
        product=_e(system.product_name),
        release=_e(system.release_version),
        status=_e(coverage.status),
        label=_e(row.status_label),
        decision=decision,
        coverage=f"{_day(coverage.starts_on)} – {_day(coverage.ends_on)}"
        if coverage.starts_on
        else NO_VALUE,
        renew_by=_day(coverage.renew_by) if coverage.renew_by else NO_VALUE,
        price=_e(money(price.net_price, price.currency)) if price else NO_VALUE,
        add_ons=_add_ons(row),
    )


def _system_url(marker: str = "-") -> Callable[[str], str]:
    """`{% url 'system' serial %}`: one `reverse` a page instead of one a row (60 µs each).
    A serial number's characters (`rules.is_serial_number`) are kept as they are in an address;
    any other is reversed."""
    before, after = reverse("system", args=[marker]).rsplit(marker, 1)

    def url(serial_number: str) -> str:
        if rules.is_serial_number(serial_number):
            return f"{before}{serial_number}{after}"
        return reverse("system", args=[serial_number])

    return url


def _e(text: object) -> str:
    return html.escape(str(text))


def _add_ons(row: ListRow) -> str:
    um = '<span class="tag">UM clients</span> ' if row.covers_um_clients else ""
    tts = '<span class="tag">TTS</span>' if row.covers_tts else ""
    none = "" if um or tts else '<span class="muted">none</span>'
    return f"{um}{tts}\n        {none}"


def _day(day: date) -> str:
    """`{{ day|date }}`, escaped: a page shows 150 dates, and formatting one costs 40 µs."""
    return _day_in(day, get_language())


# A few thousand distinct days (three years of coverage ends) in a few languages.
@lru_cache(maxsize=8192)
def _day_in(day: date, language: str) -> str:
    return _e(day_text(day))
