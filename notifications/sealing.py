"""Secrets an e-mail carries (a password-reset link), kept sealed in the outbox.

Staff may read the outbox in admin, so a row never holds a usable secret in readable form: the
bodies hold a placeholder ("[link hidden]") and the values are encrypted (Fernet, with a key
derived from SECRET_KEY) in `Email.sealed`, opened only to build the message that is sent, and
dropped once it is sent. SECRET_KEY_FALLBACKS still open what older keys sealed.
"""

from __future__ import annotations

import base64
import html
import json

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "notifications.sealing"


def placeholder(name: str) -> str:
    """What a body shows instead of the secret `name`."""
    return f"[{name} hidden]"


def _fernet(secret_key: str) -> Fernet:
    digest = salted_hmac(SALT, "outbox secrets", secret=secret_key, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def seal(values: dict[str, str]) -> str:
    """The values, encrypted and authenticated; "" for none."""
    if not values:
        return ""
    return _keys().encrypt(json.dumps(values).encode()).decode()


def unseal(sealed: str) -> dict[str, str]:
    """The values `seal` made; cryptography.fernet.InvalidToken if no key of ours opens them."""
    if not sealed:
        return {}
    return json.loads(_keys().decrypt(sealed.encode()))


def reveal(text: str, values: dict[str, str], *, as_html: bool = False) -> str:
    """`text` with each placeholder replaced by its secret (HTML-escaped in an HTML body)."""
    for name, value in values.items():
        text = text.replace(placeholder(name), html.escape(value) if as_html else value)
    return text
