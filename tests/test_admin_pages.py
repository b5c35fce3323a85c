"""Every admin page opens, for staff who may do everything and for staff who may only view.

The walk takes every URL pattern of every model admin (so pages added later are covered
without changing this test) and opens it for every object of the model, and every version of
each object, from a back office with real objects of every model (tests/back_office.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.urls import URLPattern, reverse

pytestmark = pytest.mark.django_db


def admin_urls() -> Iterator[str]:
    """Every admin address: the index, each app, and each model admin's pages for its objects."""
    yield reverse("admin:index")
    for app_label in {model._meta.app_label for model in admin.site._registry}:
        yield reverse("admin:app_list", kwargs={"app_label": app_label})
    for model, model_admin in admin.site._registry.items():
        objects = list(model._default_manager.all())
        for pattern in model_admin.get_urls():
            if isinstance(pattern, URLPattern) and pattern.name:
                yield from _pattern_urls(pattern, model, objects)


def _pattern_urls(pattern: URLPattern, model, objects) -> Iterator[str]:
    name = f"admin:{pattern.name}"
    arguments = pattern.pattern.regex.groups
    if arguments == 0:
        yield reverse(name)
        if name.endswith("_changelist"):
            yield reverse(name) + "?q=x"
    elif arguments == 1:
        for obj in objects:
            yield reverse(name, args=[obj.pk])
    elif arguments == 2 and hasattr(model, "history"):  # one version of one object
        for obj in objects:
            for version in model.history.filter(pk=obj.pk):
                yield reverse(name, args=[obj.pk, version.history_id])


def test_the_back_office_has_objects_of_every_model_admin_shows(back_office):
    empty = [
        model._meta.label for model in admin.site._registry if not model._default_manager.exists()
    ]
    assert empty == [], "add objects of these models to tests/back_office.py"


@pytest.mark.parametrize("who", ["root", "viewer"])
def test_no_admin_page_fails_for_staff_who_may_do_everything_or_only_view(client, back_office, who):
    client.force_login(getattr(back_office, who))
    client.raise_request_exception = False  # a failing page is a 500 here, listed below
    urls = list(admin_urls())
    assert len(urls) > 300  # every page of every object, not a handful
    failures = [
        (url, response.status_code)
        for url in urls
        if (response := client.get(url)).status_code >= 500
    ]
    assert failures == []


def test_a_ready_letter_opens_with_a_link_to_its_pdf(client, back_office):
    from contracts.models import Letter

    letter = Letter.objects.get(status="ready")
    client.force_login(back_office.root)
    page = client.get(reverse("admin:contracts_letter_change", args=[letter.pk]))
    assert page.status_code == 200
    assert reverse("contracts:letter-download", args=[letter.pk]) in page.content.decode()
