"""Portal views of confirmation letters: request one, download one (tenancy-checked)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from contracts.models import Letter
from contracts.selectors.letters import letter_contract_get, letter_get
from contracts.services.letters import letter_request
from contracts.views import contracts_access_required
from notifications.storage import private_file_response


@require_POST
@contracts_access_required
def letter_request_view(request: HttpRequest, contract_id: int) -> HttpResponseRedirect:
    """Queue a contract's confirmation letter; the requester gets it by e-mail."""
    contract = letter_contract_get(request.user, contract_id)
    letter = letter_request(contract=contract, user=request.user)
    if letter.status == Letter.Status.READY:
        text = (
            f"The confirmation letter for {contract.number} is ready: we have e-mailed it to you."
        )
    else:
        text = (
            f"The confirmation letter for {contract.number} is being prepared; we will e-mail "
            f"it to {request.user.email or 'you'} and it will be ready to download here."
        )
    messages.success(request, text)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("system", args=[contract.system.serial_number])
    return HttpResponseRedirect(back)


@require_GET
@contracts_access_required
def letter_download(request: HttpRequest, letter_id: int) -> HttpResponse:
    """The letter's PDF, for the contract's reseller (or staff) only; 404 for anyone else."""
    letter = letter_get(request.user, letter_id)
    return private_file_response(
        letter.file,
        as_attachment=request.GET.get("inline") is None,
        filename=letter.filename,
        content_type="application/pdf",
    )
