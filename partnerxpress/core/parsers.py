"""The API's JSON parser (a REST_FRAMEWORK default): DRF's, with limits on what a body may be.

A body nested thousands deep makes Python's parser raise RecursionError (a 500), and a lone
surrogate ("\\ud800" is valid JSON) is text no database can store: both are a 400 here, before
any serializer sees the data.
"""

from __future__ import annotations

import json
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

MAX_DEPTH = 32  # our deepest body (an order's lines) is 3 levels
TOO_DEEP = f"JSON nested more than {MAX_DEPTH} levels deep is not accepted."
NOT_UNICODE = "The body holds text that is not valid Unicode (a lone surrogate)."


def check_parsed(data: Any) -> None:
    """ParseError when arrays and objects nest deeper than MAX_DEPTH or a string (or key) is
    not valid Unicode. Walked with a stack, so no depth makes it recurse."""
    todo = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, str):
            try:
                value.encode()
            except UnicodeEncodeError:
                raise ParseError(NOT_UNICODE) from None
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(TOO_DEEP)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                todo += [(key, depth), (item, depth + 1)]


class JSONParser(parsers.JSONParser):
    """JSON bodies of at most MAX_DEPTH levels, of valid Unicode text, with no NaN or Infinity."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(f"The body is not {encoding} text.") from None
        try:
            data = json.loads(text, parse_constant=strict_constant)
        except RecursionError:
            # The C parser checks Python's recursion limit (1,000) at each level.
            raise ParseError(TOO_DEEP) from None
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None
        check_parsed(data)
        return data
