"""Pages that show several apps' data at once: the project wires the apps (docs/architecture.md).

Each page reads every section through the owning app's selectors, here, so one read of a view
shows everything its page loads; the partials only format what they are given.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from contracts import rules
from contracts import selectors as contract_selectors
from contracts.forms import RenewalDecisionForm
from contracts.selectors import letters as letter_selectors
from contracts.views import contracts_access_required
from contracts.wording import coverage_sentence
from incidents import selectors as incident_selectors
from partnerxpress.core.tenancy import user_today
from renewals import selectors as renewal_selectors


@contracts_access_required
def system_detail(request: HttpRequest, serial_number: str) -> HttpResponse:
    """One system: coverage in words and its history, the renewal quote and co-term, what it
    may be ordered, its open orders, support and confirmation letters."""
    user, today = request.user, user_today(request.user)
    row = contract_selectors.system_row_get(user, serial_number, today)
    system, entitlement = row.system, row.entitlement
    decision, decision_history = contract_selectors.system_decisions(row, today)
    context = {
        "row": row,
        "system": system,
        "entitlement": entitlement,
        "coverage": row.coverage,
        "contracts": row.contracts,
        "today": today,
        "sentence": coverage_sentence(row.coverage, today),
        "status_label": rules.STATUS_LABELS[row.coverage.status],
        "um_included": rules.UM_CLIENTS_INCLUDED,
        "current_release": rules.current_release(row.facts.product_releases),
        "decision": decision,
        "decision_history": decision_history,
        "decision_form": RenewalDecisionForm(),
        "quote": renewal_selectors.system_renewal_quote(user, row, today),
        "open_orders": renewal_selectors.system_open_orders(system),
        "support": incident_selectors.system_support(user, system, entitlement, today),
        "letter_rows": letter_selectors.system_letter_list(user, system),
    }
    return render(request, "contracts/system_detail.html", context)
