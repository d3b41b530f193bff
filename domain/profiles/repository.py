"""SQL of the profile read side: profiles by id or handle as one viewer sees them, pages of
followers and followed profiles for many profiles in one statement, and the viewer's blocks.

Each profile comes with its display name and with what the viewer may see of it in the same
statement, so a profile page costs one statement for the profile whatever it shows."""
from __future__ import annotations

from collections.abc import Sequence

from domain.profiles.entities import Profile, SectionPrivacy
from domain.profiles.statuses import ProfileSection
from domain.profiles.visibility import profile_shown, section_shown
from domain.shared.db import Reader
from domain.shared.pagination import Page, PageRequest, page_from_rows

_VIEWER = "$1::bigint"
_SECTIONS = tuple(ProfileSection)
COLUMNS = (
    "p.account_id, p.handle, a.display_name, p.bio, p.photo_url, p.website_url, p.visibility::text,"
    " p.reviews_visibility::text, p.lists_visibility::text, p.answers_visibility::text,"
    " p.follows_visibility::text, p.follower_count, p.following_count, p.created_at,"
    f" EXISTS (SELECT 1 FROM profile_follows vf WHERE vf.follower_id = {_VIEWER}"
    "  AND vf.followed_id = p.account_id) AS viewer_follows,"
    f" EXISTS (SELECT 1 FROM profile_blocks vb WHERE vb.blocker_id = {_VIEWER}"
    "  AND vb.blocked_id = p.account_id) AS viewer_blocked, "
    + ", ".join(f"{section_shown('p', _VIEWER, s)} AS shows_{s.lower()}" for s in _SECTIONS))
_WIDTH = 16 + len(_SECTIONS)
FROM = "profiles p JOIN accounts a ON a.id = p.account_id"
SHOWN = profile_shown("p", _VIEWER)


def profile(row, viewer_id: int | None) -> Profile:
    v = tuple(row)
    return Profile(v[0], v[1], v[2], v[3], v[4], v[5], SectionPrivacy(*v[6:11]), v[11], v[12], v[13], viewer_id,
                   v[14], v[15], frozenset(s for s, shown in zip(_SECTIONS, v[16:_WIDTH]) if shown))


async def profiles_by_ids(reader: Reader, viewer_id: int | None, ids: Sequence[int]) -> dict[int, Profile]:
    """The profiles the viewer may see, by account id (the others are left out)."""
    rows = await reader.fetch(f"SELECT {COLUMNS} FROM {FROM} WHERE p.account_id = ANY($2::bigint[]) AND {SHOWN}",
                              viewer_id, list(ids))
    return {r[0]: profile(r, viewer_id) for r in rows}


async def profile_by_handle(reader: Reader, viewer_id: int | None, handle: str) -> Profile | None:
    row = await reader.fetchrow(f"SELECT {COLUMNS} FROM {FROM} WHERE p.handle = $2 AND {SHOWN}",
                                viewer_id, handle)
    return None if row is None else profile(row, viewer_id)


# (the side listed, the side given) of a follow, by direction.
_SIDES = {"followers": ("follower_id", "followed_id"), "following": ("followed_id", "follower_id")}


async def follow_pages(reader: Reader, viewer_id: int | None, profile_ids: Sequence[int], direction: str,
                       page: PageRequest) -> dict[int, Page]:
    """One page of each profile's followers (or followed profiles), newest follow first, in one
    statement: only the profiles the viewer may see are listed."""
    listed, given = _SIDES[direction]
    rows = await reader.fetch(
        f"SELECT g.id, {COLUMNS} FROM unnest($2::bigint[]) AS g(id) CROSS JOIN LATERAL ("
        f" SELECT f.* FROM profile_follows f JOIN profiles p ON p.account_id = f.{listed}"
        f" WHERE f.{given} = g.id AND {SHOWN} ORDER BY f.created_at DESC, f.{listed} DESC OFFSET $3 LIMIT $4) f"
        f" JOIN profiles p ON p.account_id = f.{listed} JOIN accounts a ON a.id = p.account_id"
        f" ORDER BY g.id, f.created_at DESC, f.{listed} DESC",
        viewer_id, list(profile_ids), page.offset, page.limit + 1)
    by_profile: dict[int, list] = {pk: [] for pk in profile_ids}
    for row in rows:
        by_profile[row[0]].append(profile(tuple(row)[1:], viewer_id))
    return {pk: page_from_rows(items, page) for pk, items in by_profile.items()}


async def count_follows(reader: Reader, viewer_id: int | None, profile_ids: Sequence[int],
                        direction: str) -> dict[int, int]:
    """How many followers (or followed profiles) of each profile the viewer may see."""
    listed, given = _SIDES[direction]
    rows = await reader.fetch(
        f"SELECT f.{given}, count(*) FROM profile_follows f JOIN profiles p ON p.account_id = f.{listed}"
        f" WHERE f.{given} = ANY($2::bigint[]) AND {SHOWN} GROUP BY f.{given}", viewer_id, list(profile_ids))
    found = {r[0]: r[1] for r in rows}
    return {pk: found.get(pk, 0) for pk in profile_ids}


async def blocked_page(reader: Reader, blocker_id: int, page: PageRequest) -> Page:
    """The profiles the account blocked, newest block first, with the list's total."""
    rows = await reader.fetch(
        f"SELECT {COLUMNS}, count(*) OVER () FROM profile_blocks b JOIN profiles p ON p.account_id = b.blocked_id"
        " JOIN accounts a ON a.id = p.account_id"
        " WHERE b.blocker_id = $1 ORDER BY b.created_at DESC, b.blocked_id DESC OFFSET $2 LIMIT $3",
        blocker_id, page.offset, page.limit + 1)
    total = rows[0][-1] if rows else (0 if page.offset == 0 else None)
    return page_from_rows([profile(tuple(r)[:-1], blocker_id) for r in rows], page, total)
