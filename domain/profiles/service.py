"""Profile use cases, as the API and other contexts call them.

Reads take the viewer's account id (None when anonymous) and return only what the viewer may
see (`domain/profiles/visibility.py`): a profile the viewer may not see does not exist for them,
exactly as an unknown one. Nothing of an account but its display name is ever on a profile (no
e-mail, orders, addresses or devices)."""
from __future__ import annotations

from collections.abc import Sequence

from domain.profiles import repository
from domain.profiles.entities import Profile, ProfileChanges, SectionPrivacy  # noqa: F401
from domain.profiles.follows import block_profile, follow_profile, unblock_profile, unfollow_profile  # noqa: F401
from domain.profiles.rules import HANDLE_MAX
from domain.profiles.statuses import ProfileSection, ProfileVisibility  # noqa: F401
from domain.profiles.visibility import blocked_either_way, is_blocked, visible_owners  # noqa: F401
from domain.profiles.writes import update_profile  # noqa: F401
from domain.questions import service as questions
from domain.reviews import service as reviews
from domain.shared.db import Reader
from domain.shared.lookup import exactly_one
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal

count_follows = repository.count_follows


async def find_profile(reader: Reader, principal: Principal, *, id: int | None = None,
                       handle: str | None = None) -> Profile | None:
    """A profile by account id or handle (exactly one; any case): None when there is no such
    profile or the caller may not see it (private, or its owner blocked the caller)."""
    key, value = exactly_one(id=id, handle=handle)
    if key == "id":
        return (await repository.profiles_by_ids(reader, principal.account_id, [value])).get(value)
    value = value.strip().lower()
    if len(value) > HANDLE_MAX:
        return None
    return await repository.profile_by_handle(reader, principal.account_id, value)


async def profiles_by_ids(reader: Reader, principal: Principal, ids: Sequence[int]) -> dict[int, Profile]:
    """The profiles the caller may see, by id."""
    return await repository.profiles_by_ids(reader, principal.account_id, ids)


async def follow_pages(reader: Reader, principal: Principal, profile_ids: Sequence[int],
                       key: tuple[str, PageRequest]) -> dict[int, Page]:
    """Pages of followers (`key[0]` "followers") or followed profiles ("following"), listing the
    profiles the caller may see. The caller must check the FOLLOWS section is shown first."""
    direction, page = key
    return await repository.follow_pages(reader, principal.account_id, profile_ids, direction, page)


async def blocked_profiles(reader: Reader, principal: Principal, page: PageRequest) -> Page:
    """The profiles the caller blocked, newest first."""
    return await repository.blocked_page(reader, principal.require_signed_in(), page)


async def review_pages(reader: Reader, account_ids: Sequence[int], page: PageRequest) -> dict[int, Page]:
    """Each account's published reviews, newest first; the caller checks the REVIEWS section is shown."""
    return await reviews.published_pages_by_account(reader, account_ids, page)


async def review_counts(reader: Reader, account_ids: Sequence[int]) -> dict[int, int]:
    return await reviews.count_published_by_account(reader, account_ids)


async def answer_pages(reader: Reader, account_ids: Sequence[int], page: PageRequest) -> dict[int, Page]:
    """Each account's published answers to published questions, newest first; the caller checks
    the ANSWERS section is shown."""
    return await questions.published_answers_by_account(reader, account_ids, page)


async def answer_counts(reader: Reader, account_ids: Sequence[int]) -> dict[int, int]:
    return await questions.count_published_answers_by_account(reader, account_ids)
