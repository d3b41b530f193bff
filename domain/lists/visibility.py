"""Who may see a list: the one place that decides it.

- Its owner, always; a shopping list's household members, always.
- A PUBLIC list: anyone, signed in or not, whose view of the owner allows it (`public_owners_visible_to`).
- A SHARED list: only through its link (`sharedList(token)`), never by id to others.
- A PRIVATE list: nobody else. Administrators do not read customers' lists either: a list is
  personal data with nothing to moderate until it is public.

`public_owners_visible_to` is where the owner's profile privacy and blocks apply (a blocked viewer,
or an owner whose lists section is private, sees none of that owner's public lists); it takes the
viewer's and the owners' ids in bulk so that a page of lists stays one statement for it."""
from __future__ import annotations

from collections.abc import Iterable

from domain.profiles.statuses import ProfileSection
from domain.profiles.visibility import section_shown, visible_owners
from domain.shared.db import Reader


async def public_owners_visible_to(reader: Reader, viewer_id: int | None, owner_ids: Iterable[int]) -> set[int]:
    """The owners among `owner_ids` whose PUBLIC lists `viewer_id` (None: anonymous) may see: those
    whose profile shows its LISTS section to the viewer (not private, not blocking the viewer), in
    one statement (none when no owner is asked about)."""
    return await visible_owners(reader, viewer_id, owner_ids, ProfileSection.LISTS)


def owner_shows_lists(profile: str, viewer: str) -> str:
    """SQL: the owner's profile row `profile` shows its LISTS section to the viewer (an expression
    that may be NULL): `public_owners_visible_to`'s rule, for a statement that reads lists."""
    return section_shown(profile, viewer, ProfileSection.LISTS)


def may_view_list(viewer_id: int | None, owner_id: int, visibility: str, *, is_member: bool,
                  owner_visible: bool, through_link: bool = False) -> bool:
    """Whether `viewer_id` sees a list of `owner_id`'s with this visibility. `owner_visible` is
    `public_owners_visible_to`'s answer for the owner; `through_link` says the viewer presented
    the list's live share link."""
    if viewer_id is not None and (viewer_id == owner_id or is_member):
        return True
    if visibility == "PUBLIC":
        return owner_visible
    if visibility == "SHARED":
        return through_link and owner_visible
    return False
