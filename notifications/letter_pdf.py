"""Rendering a confirmation letter to PDF with WeasyPrint: local files only, fonts set up once.

A letter is HTML (templates/notifications/letter.html) and one stylesheet
(static/letters/letter.css). The stylesheet and the font configuration are built once per
process and reused; the URL fetcher serves files from static/letters/ and refuses every other
URL, so rendering never reaches the network.
"""

from __future__ import annotations

import logging
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from contracts import rules as contract_rules

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per step otherwise

ASSETS = Path(settings.BASE_DIR) / "static" / "letters"
PAGE_SIZES = {"NA": "letter"}  # everyone else gets A4
VENDOR = {
    "name": "AVST",
    "legal_name": "Applied Voice & Speech Technologies, Inc.",
    "department": "XpressCare Support Plans",
}


class LocalFilesOnly(URLFetcher):
    """Fetches files under static/letters/ and `data:` URLs; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)

    def fetch(self, url, headers=None):
        if url.lower().startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(ASSETS.resolve()):
                raise ValueError(f"A letter may only use its own files, not {url}")
        return super().fetch(url, headers)


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheet() -> CSS:
    return CSS(
        filename=str(ASSETS / "letter.css"),
        url_fetcher=LocalFilesOnly(),
        font_config=_font_config(),
    )


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
        "date_format": "F j, Y" if facts["region"] == "NA" else "j F Y",
        "page_size": PAGE_SIZES.get(facts["region"], "A4"),
        "portal_url": settings.PORTAL_URL,
    }


def letter_html(facts: dict, dated: date) -> str:
    return render_to_string("notifications/letter.html", letter_context(facts, dated))


def letter_pdf(facts: dict, dated: date) -> tuple[bytes, int]:
    """The letter as PDF bytes, and its number of pages."""
    document = HTML(
        string=letter_html(facts, dated),
        base_url=ASSETS.as_uri() + "/",
        url_fetcher=LocalFilesOnly(),
    ).render(font_config=_font_config(), stylesheets=[_stylesheet()])
    return document.write_pdf(), len(document.pages)
