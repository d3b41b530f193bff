"""Profile GraphQL types: a customer's public profile as the caller may see it.

A profile has no path to its account: no e-mail, orders, addresses, devices or sessions are
reachable from it (a test walks the schema to prove it). Sections the caller may not see are
null (not empty), so a client can tell "private" from "nothing yet"."""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core.arguments import PAGE_SIZE, After, First, PageSize
from api.core.node import Node, node_id
from api.core.pagination import Connection, check_page_size, connection, page_request
from api.profiles.enums import ProfileVisibility
from api.questions.types import Answer
from api.reviews.types import Review
from domain.profiles import entities
from domain.profiles import service as profiles
from domain.profiles.statuses import ProfileSection

if TYPE_CHECKING:
    from api.lists.types import CustomerList

_PAGE = " Page size 1-100 (default 20)."
MAX_PROFILE_LISTS = 20
ListCount = Annotated[int, strawberry.argument(description=f"How many lists: 1-{MAX_PROFILE_LISTS} (default 5).",
                                               metadata={PAGE_SIZE: PageSize(maximum=MAX_PROFILE_LISTS, default=5)})]


@strawberry.type(description="The owner's privacy settings: the whole profile, and each section.")
class ProfilePrivacy:
    profile: ProfileVisibility = strawberry.field(description="PRIVATE: the whole profile is shown to you only (to others it does not exist, and nobody can follow it).")
    reviews: ProfileVisibility = strawberry.field(description="Your published reviews on the profile.")
    lists: ProfileVisibility = strawberry.field(description="Your public lists on the profile.")
    answers: ProfileVisibility = strawberry.field(description="Your published answers to product questions on the profile.")
    follows: ProfileVisibility = strawberry.field(description="Your followers and the profiles you follow (their counts are always shown).")


def _privacy(settings: entities.SectionPrivacy) -> ProfilePrivacy:
    return ProfilePrivacy(profile=ProfileVisibility(settings.profile), reviews=ProfileVisibility(settings.reviews),
                          lists=ProfileVisibility(settings.lists), answers=ProfileVisibility(settings.answers),
                          follows=ProfileVisibility(settings.follows))


@strawberry.type(description="A customer's public profile: handle, display name, bio, photo, website, their published reviews and answers, and follows. Shown to everyone unless its owner made it PRIVATE or blocked the caller (then it does not exist for the caller); each section may be PRIVATE too. Never shows the customer's e-mail, orders, addresses or devices.")
class Profile(Node):
    id: strawberry.ID = node_id("Profile")
    handle: str = strawberry.field(description="Unique, URL-safe name of the profile (3-30 lower-case letters, digits, hyphens or underscores), e.g. for `/profiles/<handle>`. Chosen by its owner; every account has one from sign-up.")
    display_name: str = strawberry.field(description="The customer's name as their reviews and answers show it (1-100 characters).")
    bio: Optional[str] = strawberry.field(description="A few words about the customer, plain text (at most 300 characters, never HTML); null when none.")
    photo_url: Optional[str] = strawberry.field(description="The customer's photo: an https:// image URL; null when none.")
    website_url: Optional[str] = strawberry.field(description="A link to the customer's website (http:// or https://); null when none. Render it with rel=\"nofollow ugc\".")
    follower_count: int = strawberry.field(description="How many profiles follow this one (all of them, including those not shown to you).")
    following_count: int = strawberry.field(description="How many profiles this one follows (all of them, including those not shown to you).")
    created_at: datetime.datetime = strawberry.field(description="When the customer joined (UTC).")
    is_viewer: bool = strawberry.field(description="True when this is your own profile.")
    viewer_is_following: bool = strawberry.field(description="True when you follow this profile (false when anonymous).")
    viewer_has_blocked: bool = strawberry.field(description="True when you blocked this profile (false when anonymous).")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Profile)

    @strawberry.field(description="The privacy settings; shown to the profile's owner only (null for anyone else).")
    def privacy(self) -> Optional[ProfilePrivacy]:
        return _privacy(self.privacy) if self.is_viewer else None

    @strawberry.field(description="The customer's published reviews, newest first; null when the REVIEWS section is private (to you)." + _PAGE)
    async def reviews(self, info: Info, first: First = None, after: After = None) -> Optional[Connection[Review]]:
        if not self.shows(ProfileSection.REVIEWS):
            return None
        loaders = info.context.loaders
        page = await loaders.profile_reviews.load((self.id, page_request(first, after)))
        return connection(page, lambda: loaders.profile_review_count.load(self.id))

    @strawberry.field(description="The customer's published answers to product questions (those given as a customer, not for a seller or brand), newest first; null when the ANSWERS section is private (to you)." + _PAGE)
    async def answers(self, info: Info, first: First = None, after: After = None) -> Optional[Connection[Answer]]:
        if not self.shows(ProfileSection.ANSWERS):
            return None
        loaders = info.context.loaders
        page = await loaders.profile_answers.load((self.id, page_request(first, after)))
        return connection(page, lambda: loaders.profile_answer_count.load(self.id))

    @strawberry.field(description="The customer's PUBLIC lists, the most recently changed first; null when the LISTS section is private (to you). Ask each list's `entries(first: 4)` for its first works: the whole block stays a constant number of statements.")
    async def lists(self, info: Info, first: ListCount = 5
                    ) -> Optional[list[Annotated["CustomerList", strawberry.lazy("api.lists.types")]]]:
        check_page_size("first", first, MAX_PROFILE_LISTS)
        if not self.shows(ProfileSection.LISTS):
            return None
        return await info.context.loaders.profile_lists.load((self.id, first))

    @strawberry.field(description="Profiles following this one, newest follow first: only those shown to you (private profiles and those that blocked you are left out, and `totalCount` counts what is listed). Null when the FOLLOWS section is private (to you)." + _PAGE)
    async def followers(self, info: Info, first: First = None,
                        after: After = None) -> Optional[Connection[Profile]]:
        return await _follows(info, self, "followers", first, after)

    @strawberry.field(description="Profiles this one follows, newest follow first: only those shown to you (`totalCount` counts what is listed). Never brands: brand follows are private to the customer. Null when the FOLLOWS section is private (to you)." + _PAGE)
    async def following(self, info: Info, first: First = None,
                        after: After = None) -> Optional[Connection[Profile]]:
        return await _follows(info, self, "following", first, after)

    @strawberry.field(description="Profiles you blocked, newest first: on your own profile only (null on anyone else's)." + _PAGE)
    async def blocked_profiles(self, info: Info, first: First = None,
                               after: After = None) -> Optional[Connection[Profile]]:
        if not self.is_viewer:
            return None
        reader, principal = info.context.reader, await info.context.viewer()
        return connection(await profiles.blocked_profiles(reader, principal, page_request(first, after)))


async def _follows(info: Info, profile: entities.Profile, direction: str, first, after) -> Connection[Profile] | None:
    if not profile.shows(ProfileSection.FOLLOWS):
        return None
    loaders = info.context.loaders
    page = await loaders.profile_follows.load((profile.id, (direction, page_request(first, after))))
    return connection(page, lambda: loaders.profile_follow_count.load((profile.id, direction)))
