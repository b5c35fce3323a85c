"""One layout for every HTML e-mail: templates/emails/base.html (issue 15, item 13)."""

from pathlib import Path

from django.conf import settings

from notifications.services import email_render

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"


def test_every_html_email_extends_the_one_layout():
    bodies = sorted(EMAILS.glob("*-body.html"))
    assert len(bodies) >= 12
    alone = [
        path.name
        for path in bodies
        if not path.read_text().startswith('{% extends "emails/base.html" %}')
    ]
    assert alone == []


def test_an_email_has_the_portals_header_card_and_footer():
    html = email_render("test", {"name": "Alice", "number": 7})[2]
    assert html.startswith("<!doctype html>")
    assert ">PX</span>" in html and ">PartnerXpress</span>" in html
    assert "Test message" in html and "font-family:" in html
    assert "Hello Alice, this is message 7." in html
    assert "XpressCare support for CallXpress® and Seneca® resellers" in html
    assert "<style" not in html  # mail clients drop it: inline styles only
