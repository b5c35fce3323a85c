"""PDF documents with WeasyPrint: local files only, fonts and stylesheet set up once per process.

Confirmation letters and customer quotes are HTML templates styled by static/letters/letter.css.
The URL fetcher serves files from static/letters/ and refuses every other URL, so rendering
never reaches the network. WeasyPrint is imported by the first caller (about half a second).
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per step otherwise

ASSETS = Path(settings.BASE_DIR) / "static" / "letters"
PAGE_SIZES = {"NA": "letter"}  # everyone else gets A4
VENDOR = {
    "name": "AVST",
    "legal_name": "Applied Voice & Speech Technologies, Inc.",
    "department": "XpressCare Support Plans",
}


def page_size(region_code: str) -> str:
    """US Letter in North America, A4 elsewhere."""
    return PAGE_SIZES.get(region_code, "A4")


class LocalFilesOnly(URLFetcher):
    """Fetches files under static/letters/ and `data:` URLs; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)

    def fetch(self, url, headers=None):
        if url.lower().startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(ASSETS.resolve()):
                raise ValueError(f"A document may only use its own files, not {url}")
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


def pdf_render(template: str, context: dict) -> tuple[bytes, int]:
    """A template rendered to PDF bytes, and its number of pages."""
    document = HTML(
        string=render_to_string(template, {"vendor": VENDOR, **context}),
        base_url=ASSETS.as_uri() + "/",
        url_fetcher=LocalFilesOnly(),
    ).render(font_config=_font_config(), stylesheets=[_stylesheet()])
    return document.write_pdf(), len(document.pages)
