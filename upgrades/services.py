"""Writes of bulletins: publishing, and the notices to resellers with systems they upgrade.

Exactly once per recipient and bulletin, in layers: publishing claims the bulletin with a
conditional UPDATE (a second click changes nothing); the fan-out task runs at least once
(acks_late, re-queued by `bulletin_sweep` until `notified_at` is set) and is idempotent, because
each notice is an outbox row keyed (bulletin, reseller, user); the outbox sends each row once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from contracts.models import Reseller, System, User
from notifications.services import email_enqueue
from renewals.selectors import open_upgrade_orders
from upgrades import rules, selectors
from upgrades.models import Bulletin

STUCK_AFTER = timedelta(minutes=10)  # a fan-out not finished by then is run again
LISTED_SYSTEMS = 200  # an e-mail lists this many systems; the bulletin page lists them all


def bulletin_publish(*, bulletin: Bulletin, by: User) -> bool:
    """Publish a bulletin and queue its notices; False (and nothing done) if it was published."""
    with transaction.atomic():
        claimed = Bulletin.objects.filter(pk=bulletin.pk, published_at__isnull=True).update(
            published_at=timezone.now(), published_by=by
        )
        if claimed:
            # The claim is an UPDATE, not a save: write its history row explicitly.
            published = Bulletin.objects.get(pk=bulletin.pk)
            Bulletin.history.bulk_history_create([published], update=True, default_user=by)
            transaction.on_commit(lambda: _queue(bulletin.pk))
    return bool(claimed)


def _queue(bulletin_id: int) -> None:
    from upgrades.tasks import bulletin_notify_task

    bulletin_notify_task.delay(bulletin_id)


def _recipients(reseller: Reseller) -> list[rules.Person]:
    users = reseller.users.filter(is_active=True).order_by("pk")
    return rules.bulletin_recipients(
        [
            rules.Person(
                user.pk, user.email, user.is_contract_representative, user.has_contracts_access
            )
            for user in users
        ]
    )


def _notice_context(bulletin: Bulletin, reseller: Reseller, systems: list[System]) -> dict:
    order_url = settings.PORTAL_URL + reverse("renewals:no_charge_upgrade_new")
    bulletins_url = settings.PORTAL_URL + reverse("upgrades:bulletins")
    return {
        "bulletin": bulletin,
        "reseller": reseller,
        "count": len(systems),
        "systems": [
            {
                "system": system,
                "order_url": f"{order_url}?{urlencode({'serial': system.serial_number})}",
            }
            for system in systems[:LISTED_SYSTEMS]
        ],
        "more": max(0, len(systems) - LISTED_SYSTEMS),
        "bulletin_url": f"{bulletins_url}#bulletin-{bulletin.pk}",
    }


@dataclass(frozen=True)
class BulletinNotice:
    """One reseller's notice of a bulletin: its systems the release upgrades, and who is told."""

    reseller: Reseller
    systems: list[System]
    recipients: list[rules.Person]


def bulletin_audience(bulletin: Bulletin) -> list[BulletinNotice]:
    """Each active reseller with upgrade-eligible systems of the bulletin's product (on its own
    today, leaving out systems already ordered), with the people its notice goes to.
    Admin shows it before publishing; the fan-out sends exactly this."""
    product = bulletin.release.product
    resellers = (
        Reseller.objects.filter(is_active=True, systems__product=product)
        .distinct()
        .select_related("region")
        .order_by("pk")
    )
    notices = []
    for reseller in resellers:
        today = reseller.region.today(timezone.now())
        systems = selectors.upgrade_eligible_systems(reseller.systems.all(), product, today)
        ordered = open_upgrade_orders(systems)  # already on its way: nothing to ask for
        systems = [system for system in systems if system.pk not in ordered]
        if systems:
            notices.append(BulletinNotice(reseller, systems, _recipients(reseller)))
    return notices


def bulletin_notify(*, bulletin_id: int) -> int:
    """Put a notice for each reseller with upgrade-eligible systems in the outbox; how many new.

    Eligibility is decided on each reseller's own today. Running it again adds only what is
    missing, so a task delivered twice, or re-run after a worker died, sends nothing twice.
    """
    bulletin = Bulletin.objects.select_related("release__product").get(pk=bulletin_id)
    if bulletin.published_at is None:
        return 0
    queued = 0
    for notice in bulletin_audience(bulletin):
        context = _notice_context(bulletin, notice.reseller, notice.systems)
        with transaction.atomic():
            for person in notice.recipients:
                email = email_enqueue(
                    key=f"bulletin:{bulletin.pk}:reseller:{notice.reseller.pk}:user:{person.pk}",
                    to=person.email,
                    template="bulletin",
                    context=context,
                    reseller=notice.reseller,
                )
                queued += email is not None
    Bulletin.objects.filter(pk=bulletin.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    return queued


def bulletin_sweep() -> int:
    """Queue again the notices of bulletins published a while ago whose fan-out never finished."""
    stuck = Bulletin.objects.filter(
        published_at__lt=timezone.now() - STUCK_AFTER, notified_at__isnull=True
    ).values_list("pk", flat=True)
    ids = list(stuck)
    for bulletin_id in ids:
        _queue(bulletin_id)
    return len(ids)
