"""Shared pieces of the REST API: tenancy-scoped views and access permissions."""

from __future__ import annotations

from rest_framework import permissions

from partnerxpress.core.tenancy import (
    can_see_contracts,
    for_user,
    is_certified_technician,
    user_today,
)


class HasContractsAccess(permissions.BasePermission):
    """Systems, coverage, contracts and orders need XpressCare Contracts access."""

    message = "XpressCare Contracts access is not enabled for this user: request it in the portal."

    def has_permission(self, request, view) -> bool:
        return can_see_contracts(request.user)


class IsCertifiedTechnician(permissions.BasePermission):
    """Support cases and per-incident support are for certified technicians only."""

    message = "Only certified technicians with a current certification may use support."

    def has_permission(self, request, view) -> bool:
        return request.user.is_staff or is_certified_technician(
            request.user, user_today(request.user)
        )


class ScopedQuerysetMixin:
    """API views whose queryset is always scoped to the caller's reseller (see core.tenancy)."""

    def get_queryset(self):
        return for_user(super().get_queryset(), self.request.user)
