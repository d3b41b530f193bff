"""Who sees what of a profile: the one rule, as SQL that every read of profiles and their
sections is built from, and the batched check other contexts call (the lists a viewer may see).

- The owner sees all of their profile.
- A viewer the owner blocked sees nothing of it (as if it did not exist).
- A PRIVATE profile shows nothing to anyone but its owner.
- A PRIVATE section (REVIEWS, LISTS, ANSWERS, FOLLOWS) is shown to its owner only.

Blocking is one-way for reading: the blocker still sees the profile they blocked (to unblock it);
following is refused both ways (`domain/profiles/follows.py`). Anonymous viewers (None) see what
is public."""
from __future__ import annotations

from collections.abc import Iterable

from domain.profiles.statuses import ProfileSection
from domain.shared.db import Reader

SECTION_COLUMNS = {ProfileSection.REVIEWS: "reviews_visibility", ProfileSection.LISTS: "lists_visibility",
                   ProfileSection.ANSWERS: "answers_visibility", ProfileSection.FOLLOWS: "follows_visibility"}


def is_owner(profile: str, viewer: str) -> str:
    """SQL: the viewer (an expression that may be NULL) is the owner of the profile row `profile`."""
    return f"{profile}.account_id IS NOT DISTINCT FROM {viewer}"


def profile_shown(profile: str, viewer: str) -> str:
    """SQL: the profile row `profile` is shown to the viewer."""
    return (f"({is_owner(profile, viewer)} OR ({profile}.visibility = 'PUBLIC' AND NOT EXISTS ("
            f"SELECT 1 FROM profile_blocks pb WHERE pb.blocker_id = {profile}.account_id"
            f" AND pb.blocked_id = {viewer})))")


def section_shown(profile: str, viewer: str, section: ProfileSection) -> str:
    """SQL: the section of the profile row `profile` is shown to the viewer."""
    column = SECTION_COLUMNS[ProfileSection(section)]
    return (f"({is_owner(profile, viewer)} OR ({profile}.{column} = 'PUBLIC'"
            f" AND {profile_shown(profile, viewer)}))")


async def visible_owners(reader: Reader, viewer_id: int | None, owner_ids: Iterable[int],
                         section: ProfileSection) -> set[int]:
    """The owners (of `owner_ids`) whose `section` the viewer may see, in one statement however
    many owners are asked about (ids without a profile are left out).
    `reader` is a request's `Reader`, or a use case's session wrapped in `SessionReader`."""
    owners = list(dict.fromkeys(owner_ids))
    if not owners:
        return set()
    rows = await reader.fetch(
        f"SELECT p.account_id FROM profiles p WHERE p.account_id = ANY($2::bigint[])"
        f" AND {section_shown('p', '$1::bigint', section)}", viewer_id, owners)
    return {r[0] for r in rows}


async def is_blocked(reader: Reader, blocker_id: int, blocked_id: int) -> bool:
    """True when `blocker_id` blocked `blocked_id` (one way)."""
    row = await reader.fetchrow("SELECT EXISTS (SELECT 1 FROM profile_blocks WHERE blocker_id = $1"
                                " AND blocked_id = $2)", blocker_id, blocked_id)
    return bool(row[0])


async def blocked_either_way(reader: Reader, first_id: int, second_id: int) -> bool:
    """True when either account blocked the other (neither may then follow the other, nor share
    with the other)."""
    row = await reader.fetchrow(
        "SELECT EXISTS (SELECT 1 FROM profile_blocks WHERE (blocker_id = $1 AND blocked_id = $2)"
        " OR (blocker_id = $2 AND blocked_id = $1))", first_id, second_id)
    return bool(row[0])
