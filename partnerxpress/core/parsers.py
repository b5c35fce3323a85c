"""The API's JSON parser (a REST_FRAMEWORK default): DRF's, with limits on what a body may be.

A body nested thousands deep makes Python's parser raise RecursionError (a 500), and a lone
surrogate ("\\ud800" is valid JSON) is text no database can store: both are a 400 here, before
any serializer sees the data.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

MAX_DEPTH = 32  # our deepest body (an order's lines) is 3 levels
STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text: str, limit: int) -> int:
    """How deep arrays and objects nest in JSON text (brackets inside strings do not count);
    stops counting once past `limit`."""
    depth = deepest = 0
    for bracket in BRACKET.finditer(STRING.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > limit:
            break
    return deepest


def has_unstorable_text(data: Any) -> bool:
    """Whether any string (or key) is not valid Unicode: a lone surrogate."""
    if isinstance(data, str):
        try:
            data.encode()
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(data, dict):
        return any(has_unstorable_text(key) or has_unstorable_text(v) for key, v in data.items())
    if isinstance(data, list):
        return any(has_unstorable_text(item) for item in data)
    return False


class JSONParser(parsers.JSONParser):
    """JSON bodies of at most MAX_DEPTH levels, of valid Unicode text, with no NaN or Infinity."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(f"The body is not {encoding} text.") from None
        if nesting_depth(text, MAX_DEPTH) > MAX_DEPTH:
            raise ParseError(f"JSON nested more than {MAX_DEPTH} levels deep is not accepted.")
        try:
            data = json.loads(text, parse_constant=strict_constant)
        except (ValueError, RecursionError) as error:
            raise ParseError(f"JSON parse error - {error}") from None
        if has_unstorable_text(data):
            raise ParseError("The body holds text that is not valid Unicode (a lone surrogate).")
        return data
