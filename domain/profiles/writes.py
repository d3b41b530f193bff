"""Editing one's own profile: handle, display name, bio, photo, website and privacy.

Everything is checked before anything is written, so a refused edit changes nothing. The display
name is the account's (identity renames it), so reviews and answers show the new name too."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity import service as identity
from domain.profiles import rules
from domain.profiles.entities import ProfileChanges
from domain.profiles.errors import ProfileErrorCode
from domain.profiles.statuses import ProfileVisibility
from domain.shared.errors import DomainError
from domain.shared.principal import Principal

# The privacy settings an edit may change, by input name, and the column each is kept in.
PRIVACY_COLUMNS = {"profile": "visibility", "reviews": "reviews_visibility", "lists": "lists_visibility",
                   "answers": "answers_visibility", "follows": "follows_visibility"}
_OPTIONAL = {"bio", "photo_url", "website_url"}


def _checked(changes: ProfileChanges) -> dict[str, object]:
    """The columns to write, each value checked."""
    if changes.clear - _OPTIONAL:
        raise ValueError(f"only {sorted(_OPTIONAL)} can be removed")
    values: dict[str, object] = {name: None for name in changes.clear}
    if changes.handle is not None:
        values["handle"] = rules.handle(changes.handle)
    if changes.bio is not None:
        values["bio"] = rules.bio(changes.bio)
    if changes.photo_url is not None:
        values["photo_url"] = rules.photo_url(changes.photo_url)
    if changes.website_url is not None:
        values["website_url"] = rules.website_url(changes.website_url)
    for name, value in (changes.privacy or {}).items():
        values[PRIVACY_COLUMNS[name]] = ProfileVisibility(value).value
    return values


async def _claim_handle(session: AsyncSession, account_id: int, handle: str) -> None:
    """Refuses a handle another profile has. Two customers claiming one handle at once queue on
    a lock of that handle, so the second sees the first's and is refused (never a constraint
    failure)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('profile-handle:' || :h))"), {"h": handle})
    taken = (await session.execute(text("SELECT 1 FROM profiles WHERE handle = :h AND account_id <> :a"),
                                   {"h": handle, "a": account_id})).first()
    if taken is not None:
        raise DomainError(f"The handle {handle!r} is taken: choose another.", code=ProfileErrorCode.HANDLE_TAKEN,
                          field=["input", "handle"])


async def update_profile(session: AsyncSession, principal: Principal, changes: ProfileChanges) -> int:
    """Edit the caller's own profile: fields left out keep their value; `clear` removes the bio,
    photo or website. Returns the profile's id (the account's)."""
    account_id = principal.require_signed_in()
    values = _checked(changes)
    if changes.display_name is not None:
        await identity.change_display_name(session, account_id, changes.display_name)
    if "handle" in values:
        await _claim_handle(session, account_id, values["handle"])
    if values:
        assignments = ", ".join(f"{column} = :{column}" for column in values)
        await session.execute(text(f"UPDATE profiles SET {assignments}, updated_at = now() WHERE account_id = :a"),
                              {**values, "a": account_id})
    return account_id
