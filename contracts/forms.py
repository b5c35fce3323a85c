"""Forms of the portal's account and contracts pages."""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from contracts.rules.decisions import DECISION_LABELS, REASONS
from notifications.services import email_enqueue


class AccessRequestForm(forms.Form):
    message = forms.CharField(
        label="Why you need it (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Password reset e-mails go through the outbox like every other e-mail (sent once, retried).

    The link is a sealed secret of the outbox row (issue 16.1): staff who read the outbox see
    "[link hidden]", and its key holds only a fingerprint of the token.
    """

    def save(self, domain_override=None, request=None, **kwargs) -> None:
        for user in self.get_users(self.cleaned_data["email"]):
            token = default_token_generator.make_token(user)
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
            email_enqueue(
                key=f"password-reset:{user.pk}:{token_fingerprint(token)}",
                to=getattr(user, get_user_model().get_email_field_name()),
                template="password-reset",
                context={"user": user},
                secrets={"link": settings.PORTAL_URL + path},
                reseller=user.reseller,
            )


def token_fingerprint(token: str) -> str:
    """Names a reset token in an outbox key without revealing it (two requests in the same
    second make the same token: one e-mail)."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


class RenewalDecisionForm(forms.Form):
    """ "Will not renew" (with a reason) or "remind me later" (until a date); the rules of
    contracts.rules.decisions decide, through the service, and say why on a field."""

    decision = forms.ChoiceField(
        label="Decision", choices=list(DECISION_LABELS.items()), widget=forms.RadioSelect
    )
    reason = forms.ChoiceField(
        label="Reason", choices=[("", "Choose a reason"), *REASONS.items()], required=False
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    until = forms.DateField(
        label="Remind me on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="After today and no later than the renew-by date.",
    )
