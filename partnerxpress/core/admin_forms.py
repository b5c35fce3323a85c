"""Admin pages that run a service: one way to turn a refusal into a form error, and one way to
ask before an action e-mails people (who will receive what, as Django asks before deleting)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from partnerxpress.core.errors import RuleViolation
from partnerxpress.core.forms import add_rule_error


@dataclass(frozen=True)
class Recipient:
    """One person an action will e-mail, and what they will get."""

    who: str
    what: str


@dataclass(frozen=True)
class Confirmation:
    """What an e-mailing action will do, shown before it does it."""

    recipients: Sequence[Recipient]
    question: str
    button: str = "Yes, send"
    notes: Sequence[str] = ()  # e.g. who is left out and why

    @property
    def people(self) -> int:
        return len({recipient.who for recipient in self.recipients})


def service_form_view(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    form: forms.Form,
    title: str,
    perform: Callable[[dict], str],
    done_url: str,
    intro: str = "",
    confirm: Callable[[dict], Confirmation] | None = None,
    template: str = "admin/service_form.html",
    context: dict | None = None,
) -> HttpResponse:
    """Show `form`; when valid, call `perform(cleaned_data)` and go to `done_url` with its message.

    A RuleViolation from the service is shown on the form, and nothing is saved. With `confirm`,
    a valid form first shows what will be sent (`confirm(cleaned_data)`); the answer runs it.
    """
    details: list[str] = []
    confirmation = None
    changing = "change" in request.POST  # "No, change the choices": the form again, filled in
    if request.method == "POST" and not changing and form.is_valid():
        try:
            if confirm is not None and "confirmed" not in request.POST:
                confirmation = confirm(form.cleaned_data)
            else:
                message = perform(form.cleaned_data)
                model_admin.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(done_url)
        except RuleViolation as refused:
            add_rule_error(form, refused)
            details = refused.details
    page = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "intro": intro,
        "form": form,
        "details": details,
        "confirmation": confirmation,
        "media": model_admin.media + form.media,
        **(context or {}),
    }
    return TemplateResponse(request, template, page)


def confirm_action(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    title: str,
    confirmation: Confirmation,
    template: str = "admin/confirm_action.html",
    context: dict | None = None,
) -> TemplateResponse:
    """The page an action shows before it runs: what it will do and who will get what.

    Its "Yes" posts the same selection again with `post=yes`; the action then runs.
    """
    page = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "action": action,
        "selected": [str(pk) for pk in queryset.values_list("pk", flat=True)],
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "confirmation": confirmation,
        "media": model_admin.media,
        **(context or {}),
    }
    return TemplateResponse(request, template, page)


def is_confirmed(request: HttpRequest) -> bool:
    """The action's confirmation page was answered "Yes"."""
    return request.POST.get("post") == "yes"
