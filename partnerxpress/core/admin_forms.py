"""Admin pages that run a service from a form: one way to turn a refusal into a form error."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.forms import add_rule_error


def service_form_view(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    form: forms.Form,
    title: str,
    perform: Callable[[dict], str],
    done_url: str,
    intro: str = "",
) -> HttpResponse:
    """Show `form`; when valid, call `perform(cleaned_data)` and go to `done_url` with its message.

    A RuleViolation from the service is shown on the form (on its field when it names one),
    and nothing is saved.
    """
    details: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            message = perform(form.cleaned_data)
        except RuleViolation as refused:
            add_rule_error(form, refused)
            details = refused.details
        else:
            model_admin.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(done_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "intro": intro,
        "form": form,
        "details": details,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/service_form.html", context)
