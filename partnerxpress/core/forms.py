"""Forms and the domain error: the one way a rule's refusal becomes a form error."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from partnerxpress.core.errors import RuleViolation


def add_rule_error(
    form: forms.Form, refused: RuleViolation, *, fields: Mapping[str, str] | None = None
) -> None:
    """Show a rule's refusal on the field it names, else above the form.

    `fields` maps a rule's field name to the form's where they differ (an order's "lines" is
    the serial number field of a one-system form).
    """
    field = (fields or {}).get(refused.field, refused.field)
    form.add_error(field if field in form.fields else None, refused.message)
