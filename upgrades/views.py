"""Portal pages of product bulletins and downloads (SPEC §1.5, §2)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from notifications.storage import private_file_response
from partnerxpress.core.pages import paginate
from partnerxpress.core.tenancy import user_today
from upgrades import selectors

BULLETINS_PER_PAGE = 20


@login_required
def bulletin_list(request: HttpRequest) -> HttpResponse:
    """Bulletins, newest first, under the reader's systems entitled to a no-charge upgrade."""
    context = {
        "page": paginate(request, selectors.bulletin_list(), per_page=BULLETINS_PER_PAGE),
        "offers": selectors.upgrade_offers(request.user, user_today(request.user)),
    }
    return render(request, "upgrades/bulletins.html", context)


@login_required
def download_list(request: HttpRequest) -> HttpResponse:
    downloads = selectors.download_list(request.user, user_today(request.user))
    return render(request, "upgrades/downloads.html", {"downloads": downloads})


@login_required
def download_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file itself, through the same check as the list: anyone else gets a 404."""
    download = selectors.download_get(request.user, pk, user_today(request.user))
    return private_file_response(download.file, filename=download.filename)
