"""Profile mutations: editing one's own profile, following and blocking other profiles. Each runs
one use case in one transaction; a refusal writes nothing."""
from __future__ import annotations

from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.enums import error_codes
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.mutations import run
from api.profiles.enums import ProfileVisibility
from api.profiles.types import Profile
from domain.profiles import errors as profile_errors
from domain.profiles import service as profiles
from domain.profiles.rules import BIO_MAX, URL_MAX

ProfileErrorCode = error_codes(profile_errors.ProfileErrorCode, description="""Stable codes of profile `userErrors` (a refused mutation changes nothing):
HANDLE_INVALID (not 3-30 lower-case letters, digits, hyphens or underscores starting and ending with a letter or digit),
HANDLE_TAKEN (another profile has the handle, or it is reserved), DISPLAY_NAME_INVALID, INVALID (a blank bio: give null
to remove it), TOO_LONG (a bio over its limit), HTML_NOT_ALLOWED (a bio with an HTML tag: bios are plain text),
IMAGE_URL_INVALID (the photo is not an https:// URL with a host), WEBSITE_URL_INVALID (the website is not an http:// or
https:// URL with a host), NOT_FOUND (no such profile), CANNOT_FOLLOW_YOURSELF, CANNOT_BLOCK_YOURSELF, BLOCKED (you
blocked the profile, or it does not take your follows), PROFILE_PRIVATE (a private profile cannot be followed).""")

PROFILE_ID = "Global ID of the profile (`Profile.id`)."


@strawberry.type(description="Why a profile mutation failed.")
class ProfileError(UserError):
    code: UserErrorCode = ProfileErrorCode.field()


@strawberry.input(description="Privacy settings to change; a field left out keeps its value.")
class ProfilePrivacyInput:
    profile: Optional[ProfileVisibility] = strawberry.field(default=None, description="PRIVATE hides the whole profile from everyone but you; nobody can follow it (existing followers stay, and see it again when it is PUBLIC).")
    reviews: Optional[ProfileVisibility] = strawberry.field(default=None, description="Your published reviews on the profile.")
    lists: Optional[ProfileVisibility] = strawberry.field(default=None, description="Your public lists on the profile.")
    answers: Optional[ProfileVisibility] = strawberry.field(default=None, description="Your published answers on the profile.")
    follows: Optional[ProfileVisibility] = strawberry.field(default=None, description="Your followers and the profiles you follow.")


@strawberry.input(description="Changes to your profile; a field left out keeps its value.")
class UpdateProfileInput:
    handle: Optional[str] = strawberry.field(default=None, description="New handle: 3-30 letters, digits, hyphens or underscores, starting and ending with a letter or digit; stored lower-case and unique whatever the case. The old handle is free for others at once.")
    display_name: Optional[str] = strawberry.field(default=None, description="New name, 1-100 characters; your reviews and answers show it too.")
    bio: Optional[str] = strawberry.field(default=strawberry.UNSET, description=f"A few words about you, at most {BIO_MAX} characters of plain text (stored as written, never rendered as HTML: text with an HTML tag is refused); null removes it.")
    photo_url: Optional[str] = strawberry.field(default=strawberry.UNSET, description=f"Your photo: an absolute https:// image URL of at most {URL_MAX:,} characters; null removes it.")
    website_url: Optional[str] = strawberry.field(default=strawberry.UNSET, description=f"Your website: an absolute http:// or https:// URL of at most {URL_MAX:,} characters; null removes it.")
    privacy: Optional[ProfilePrivacyInput] = strawberry.field(default=None, description="Who sees the profile and each of its sections.")


@strawberry.input(description="A profile to follow or unfollow.")
class FollowProfileInput:
    profile_id: strawberry.ID = strawberry.field(description=PROFILE_ID)


@strawberry.input(description="A profile to block or unblock.")
class BlockProfileInput:
    profile_id: strawberry.ID = strawberry.field(description=PROFILE_ID)


@strawberry.type(description="Result of `updateProfile`.")
class UpdateProfilePayload:
    profile: Optional[Profile] = strawberry.field(description="Your profile as it is now; null on failure.")
    user_errors: list[ProfileError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of a follow, unfollow, block or unblock.")
class ProfileRelationPayload:
    profile: Optional[Profile] = strawberry.field(description="The profile acted on, as you see it now (its `followerCount`, `viewerIsFollowing`, `viewerHasBlocked`); null on failure, or when it is not shown to you.")
    viewer_profile: Optional[Profile] = strawberry.field(description="Your own profile as it is now (its `followingCount`); null on failure.")
    user_errors: list[ProfileError] = strawberry.field(description="Why it failed; nothing was changed.")


def _changes(input: UpdateProfileInput) -> profiles.ProfileChanges:
    optional = {"bio": input.bio, "photo_url": input.photo_url, "website_url": input.website_url}
    privacy = None
    if input.privacy is not None:
        privacy = {name: getattr(input.privacy, name).value for name in ("profile", "reviews", "lists", "answers",
                                                                          "follows")
                   if getattr(input.privacy, name) is not None}
    return profiles.ProfileChanges(
        handle=input.handle, display_name=input.display_name,
        clear=frozenset(name for name, value in optional.items() if value is None),
        privacy=privacy,
        **{name: value for name, value in optional.items() if value is not None and value is not strawberry.UNSET})


async def _relation(info: Info, use_case) -> ProfileRelationPayload:
    done, errors = await run(info, use_case, ProfileError, ProfileErrorCode)
    if done is None:
        return ProfileRelationPayload(profile=None, viewer_profile=None, user_errors=errors)
    principal = await info.context.viewer()
    found = await info.context.loaders.profile_by_id.load_many([done, principal.account_id])
    return ProfileRelationPayload(profile=found[0], viewer_profile=found[1], user_errors=[])


@strawberry.type
class ProfileMutation:
    @strawberry.mutation(description="Edit your public profile: handle, display name, bio, photo, website and privacy settings. Every field is checked before anything changes. Requires sign-in.")
    async def update_profile(self, info: Info, input: Annotated[UpdateProfileInput, MutationInput]) -> UpdateProfilePayload:
        changes = _changes(input)
        account_id, errors = await run(info, lambda s, viewer: profiles.update_profile(s, viewer, changes),
                                       ProfileError, ProfileErrorCode)
        if account_id is None:
            return UpdateProfilePayload(profile=None, user_errors=errors)
        return UpdateProfilePayload(profile=await info.context.loaders.profile_by_id.load(account_id), user_errors=[])

    @strawberry.mutation(description="Follow a profile (following it again changes nothing). Not yourself (CANNOT_FOLLOW_YOURSELF), not a profile you blocked or that blocked you (BLOCKED), not a private one (PROFILE_PRIVATE). Requires sign-in.")
    async def follow_profile(self, info: Info, input: Annotated[FollowProfileInput, MutationInput]) -> ProfileRelationPayload:
        profile_id = ids.decode_as(input.profile_id, "Profile", "input.profileId")
        return await _relation(info, lambda s, viewer: profiles.follow_profile(s, viewer, profile_id))

    @strawberry.mutation(description="Stop following a profile (nothing changes when you did not follow it). Requires sign-in.")
    async def unfollow_profile(self, info: Info, input: Annotated[FollowProfileInput, MutationInput]) -> ProfileRelationPayload:
        profile_id = ids.decode_as(input.profile_id, "Profile", "input.profileId")
        return await _relation(info, lambda s, viewer: profiles.unfollow_profile(s, viewer, profile_id))

    @strawberry.mutation(description="Block a profile: its owner no longer sees your profile (it does not exist for them), neither of you can follow the other, and the follows between you, both ways, are removed. Blocking again changes nothing. Requires sign-in.")
    async def block_profile(self, info: Info, input: Annotated[BlockProfileInput, MutationInput]) -> ProfileRelationPayload:
        profile_id = ids.decode_as(input.profile_id, "Profile", "input.profileId")
        return await _relation(info, lambda s, viewer: profiles.block_profile(s, viewer, profile_id))

    @strawberry.mutation(description="Lift your block of a profile (the follows it removed do not come back). Requires sign-in.")
    async def unblock_profile(self, info: Info, input: Annotated[BlockProfileInput, MutationInput]) -> ProfileRelationPayload:
        profile_id = ids.decode_as(input.profile_id, "Profile", "input.profileId")
        return await _relation(info, lambda s, viewer: profiles.unblock_profile(s, viewer, profile_id))
