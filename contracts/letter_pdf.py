"""A confirmation letter as PDF: templates/contracts/letter.html, by notifications.pdf."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from contracts import rules as contract_rules
from notifications.pdf import VENDOR, page_size, pdf_render


def letter_context(facts: dict, dated: date) -> dict:
    """The template's view of the stored facts: dates as dates, derived lines in words."""
    day = date.fromisoformat
    ends_on = day(facts["ends_on"])
    add_ons = [
        label
        for label, included in (
            (f"UM client coverage ({facts['um_clients']} UM clients)", facts["covers_um_clients"]),
            (
                f"Text-to-speech coverage ({facts['tts_channels']} TTS channels)",
                facts["covers_tts"],
            ),
        )
        if included
    ]
    return {
        "facts": facts,
        "vendor": VENDOR,
        "dated": dated,
        "starts_on": day(facts["starts_on"]),
        "ends_on": ends_on,
        "booked_on": day(facts["booked_on"]),
        "renew_by": contract_rules.renew_by(ends_on),
        "add_ons": add_ons,
        "page_size": page_size(facts["region"]),
        "portal_url": settings.PORTAL_URL,
    }


def letter_html(facts: dict, dated: date) -> str:
    with translation.override(_language(facts)):
        return render_to_string("contracts/letter.html", letter_context(facts, dated))


def letter_pdf(facts: dict, dated: date) -> tuple[bytes, int]:
    """The letter as PDF bytes, and its number of pages, dates in the reseller's language."""
    with translation.override(_language(facts)):
        return pdf_render("contracts/letter.html", letter_context(facts, dated))


def _language(facts: dict) -> str:
    """The language letters are written in; letters requested before it was recorded: by region."""
    return facts.get("language") or ("en-gb" if facts["region"] == "EMEA" else "en-us")
