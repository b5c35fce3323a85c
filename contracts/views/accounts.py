"""Account pages of the portal beyond Django's own: password reset, throttled."""

from __future__ import annotations

import hashlib

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect

from contracts.forms import OutboxPasswordResetForm
from partnerxpress.core.throttling import wait_for_budget

TOO_MANY = "Too many reset requests from your network: try again in {minutes} minute(s)."


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, its e-mail through the outbox, with two budgets (issue 16.2): one
    per client, shown as a 429 whatever address was given; one per address, past which the
    page answers as always ("check your e-mail") and sends nothing. Known and unknown
    addresses count and answer alike, so the page tells no one which addresses have accounts.
    """

    form_class = OutboxPasswordResetForm

    def form_valid(self, form: OutboxPasswordResetForm) -> HttpResponse:
        client = get_client_ip_address(self.request) or "unknown"
        wait = wait_for_budget(f"password-reset:client:{client}", settings.PASSWORD_RESET_RATE)
        if wait is not None:
            form.add_error(None, TOO_MANY.format(minutes=-(-wait // 60)))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        address = form.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        rate = settings.PASSWORD_RESET_ADDRESS_RATE
        if wait_for_budget(f"password-reset:address:{digest}", rate) is not None:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
