"""Portal pages of XpressCare Contracts."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """The reseller's coverage at a glance."""
    return render(request, "contracts/home.html")
