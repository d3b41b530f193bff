"""A profile as one viewer sees it: what the profile holds, and what of it this viewer may see
(computed in the statement that read it, by the rule of `domain/profiles/visibility.py`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.profiles.statuses import ProfileSection, ProfileVisibility


@dataclass(frozen=True, slots=True)
class SectionPrivacy:
    """The owner's settings: the whole profile, and each section."""

    profile: str = ProfileVisibility.PUBLIC
    reviews: str = ProfileVisibility.PUBLIC
    lists: str = ProfileVisibility.PUBLIC
    answers: str = ProfileVisibility.PUBLIC
    follows: str = ProfileVisibility.PUBLIC


@dataclass(frozen=True, slots=True)
class Profile:
    id: int  # the account's id
    handle: str
    display_name: str
    bio: str | None
    photo_url: str | None
    website_url: str | None
    privacy: SectionPrivacy
    follower_count: int
    following_count: int
    created_at: datetime
    # Relative to the viewer it was read for.
    viewer_id: int | None
    viewer_is_following: bool
    viewer_has_blocked: bool
    shown_sections: frozenset[str]

    @property
    def is_viewer(self) -> bool:
        return self.viewer_id == self.id

    def shows(self, section: ProfileSection) -> bool:
        return section in self.shown_sections


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """An `updateProfile`: None for a field left out; `clear` names the optional fields to remove."""

    handle: str | None = None
    display_name: str | None = None
    bio: str | None = None
    photo_url: str | None = None
    website_url: str | None = None
    clear: frozenset[str] = frozenset()
    privacy: dict[str, str] | None = None
