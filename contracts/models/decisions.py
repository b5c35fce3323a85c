"""Renewal decisions resellers record for a system's current chain end (SPEC §1.8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from contracts.models.records import System
from contracts.rules import decisions


class RenewalDecision(models.Model):
    """A reseller's "will not renew" or "remind me later" for a system's current chain end.

    Rows are never deleted: withdrawing or replacing a decision stamps it withdrawn, so every
    decision and withdrawal stays with who and when (SPEC §1.8).
    """

    RESELLER_PATH = "system__reseller"

    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="renewal_decisions")
    chain_ends_on = models.DateField(help_text="The chain end it was made for.")
    kind = models.CharField(
        "decision",
        max_length=16,
        choices=[(kind.value, label) for kind, label in decisions.DECISION_LABELS.items()],
    )
    reason = models.CharField(max_length=20, blank=True, choices=list(decisions.REASONS.items()))
    note = models.TextField(blank=True)
    until = models.DateField(null=True, blank=True, help_text="Remind me later: until this day.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "chain_ends_on"],
                condition=Q(withdrawn_at__isnull=True),
                name="decision_one_standing_per_chain_end",
            ),
            models.CheckConstraint(
                condition=Q(kind="will_not_renew", until__isnull=True)
                | Q(kind="remind_later", until__isnull=False, reason=""),
                name="decision_reason_or_date",
            ),
        ]
        indexes = [models.Index(fields=["system", "chain_ends_on"], name="decision_system_end")]

    def __str__(self) -> str:
        return f"{self.system}: {self.get_kind_display()} ({self.chain_ends_on})"

    @property
    def as_rule(self) -> decisions.Decision:
        return decisions.Decision(
            decisions.DecisionKind(self.kind),
            self.chain_ends_on,
            self.until,
            withdrawn=self.withdrawn_at is not None,
        )
