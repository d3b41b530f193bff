"""What brand follows and campaigns return. No entity here names a follower to anyone but
that follower: a campaign carries counts only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class BrandFollow:
    """One of the caller's own follows (the viewer's list; nobody else reads it)."""

    brand_id: int
    followed_at: datetime
    opted_out_at: datetime | None

    @property
    def messages_opted_out(self) -> bool:
        return self.opted_out_at is not None


@dataclass(slots=True)
class BrandMessagePreferences:
    """The caller's brand messages: whether all are off, and how many brands they follow."""

    opted_out_of_all: bool
    opted_out_at: datetime | None
    following_count: int


@dataclass(slots=True)
class BrandCampaign:
    """A campaign with its aggregate results: how many followers it went to, how many were
    sent it, and how many of those opted out (of the brand or of all brands) since."""

    id: int
    brand_id: int
    kind: str
    subject: str
    body: str
    product_ids: list[int]
    status: str
    rejection_reasons: list[str]
    recipients_count: int
    delivered_count: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    opted_out_since: int = 0
