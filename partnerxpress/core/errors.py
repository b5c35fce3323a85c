"""The one domain error and how the API shows it."""

from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler


class RuleViolation(Exception):
    """A business rule refused an action; `message` is what the user sees."""

    def __init__(
        self, code: str, message: str, field: str | None = None, details: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.details = details or []  # e.g. every wrong row of a refused import

    def __str__(self) -> str:
        return self.message


def api_exception_handler(exc, context):
    """Turn a RuleViolation into a 400 with a message per field, like any validation error."""
    if isinstance(exc, RuleViolation):
        exc = ValidationError({exc.field or "non_field_errors": [exc.message]}, code=exc.code)
    return exception_handler(exc, context)
