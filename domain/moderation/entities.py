"""What moderating a post produces: audit trail entries and the outcome of an action."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ModerationEvent:
    id: int
    post_id: int
    actor_account_id: int | None
    actor_name: str | None
    action: str
    reason: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ModerationResult:
    """The post acted on, its status now, and how many open reports the action resolved."""

    post_id: int
    status: str
    resolved_reports: int
    event: ModerationEvent
