"""Following brands, choosing brand messages, one-click opt-out links, and brand campaigns.
Each runs one use case in one transaction."""
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.mutations import run
from api.marketplace.campaign_inputs import (
    BrandMessagesInput,
    CreateBrandCampaignInput,
    FollowBrandInput,
    OptOutOfBrandMessagesWithLinkInput,
)
from api.marketplace.campaign_types import BrandCampaign, BrandFollow, BrandMessagePreferences
from api.marketplace.enums import MarketplaceErrorCode
from api.marketplace.types import MarketplaceError
from domain.identity import service as identity
from domain.marketplace import service as marketplace

_catalogue = strawberry.lazy("api.catalogue.types")


async def _run(info: Info, use_case, **options):
    return await run(info, use_case, MarketplaceError, MarketplaceErrorCode, **options)


@strawberry.type(description="Result of `followBrand`.")
class FollowBrandPayload:
    follow: BrandFollow | None = strawberry.field(description="Your follow of the brand (the first one, when you already followed it); null on failure.")
    user_errors: list[MarketplaceError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `unfollowBrand`.")
class UnfollowBrandPayload:
    was_following: bool = strawberry.field(description="True if you followed the brand until now; false if you did not (nothing changed).")
    user_errors: list[MarketplaceError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `optOutOfBrandMessages` and `optInToBrandMessages`.")
class BrandMessagesPayload:
    preferences: BrandMessagePreferences | None = strawberry.field(description="Your brand-message choice as it is now; null on failure.")
    follow: BrandFollow | None = strawberry.field(description="With a brandId: your follow of that brand as it is now; null for all brands, or on failure.")
    user_errors: list[MarketplaceError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `optOutOfBrandMessagesWithLink`: the same for every use of one link, and it never names the customer.")
class OptOutOfBrandMessagesWithLinkPayload:
    brand: Annotated["Brand", _catalogue] | None = strawberry.field(description="The brand whose messages the link's recipient no longer gets; null on failure.")  # noqa: F821
    user_errors: list[MarketplaceError] = strawberry.field(description="OPT_OUT_LINK_INVALID for any link that is not one of ours, whatever is wrong with it; nothing was changed.")


@strawberry.type(description="Result of `createBrandCampaign`.")
class CreateBrandCampaignPayload:
    campaign: BrandCampaign | None = strawberry.field(description="The campaign: SCHEDULED (the platform sends it), or REJECTED by the review with its reasons; null on failure.")
    user_errors: list[MarketplaceError] = strawberry.field(description="Why it was refused; nothing was written.")


def _brand_pk(value: strawberry.ID | None, field: str = "input.brandId") -> int | None:
    return None if value is None else ids.decode_as(value, "Brand", field)


@strawberry.type
class BrandCampaignMutation:
    @strawberry.mutation(description="Follow a live brand: its campaigns reach you through the platform (the brand never learns who you are). Following again changes nothing. Requires sign-in.")
    async def follow_brand(self, info: Info, input: Annotated[FollowBrandInput, MutationInput]) -> FollowBrandPayload:
        pk = _brand_pk(input.brand_id)
        follow, errors = await _run(info, lambda s, viewer: marketplace.follow_brand(s, viewer, pk))
        return FollowBrandPayload(follow=follow, user_errors=errors)

    @strawberry.mutation(description="Stop following a brand; none of its messages reaches you after this, even from a campaign being sent. Unfollowing a brand you do not follow changes nothing. Requires sign-in.")
    async def unfollow_brand(self, info: Info, input: Annotated[FollowBrandInput, MutationInput]) -> UnfollowBrandPayload:
        pk = _brand_pk(input.brand_id)
        was, errors = await _run(info, lambda s, viewer: marketplace.unfollow_brand(s, viewer, pk))
        return UnfollowBrandPayload(was_following=bool(was), user_errors=errors)

    @strawberry.mutation(description="Turn off the messages of one brand you follow (you keep following it; NOT_FOUND if you do not follow it), or of every brand (no brandId), including brands you follow later. Turning off what is off changes nothing. Requires sign-in.")
    async def opt_out_of_brand_messages(self, info: Info, input: Annotated[BrandMessagesInput, MutationInput]) -> BrandMessagesPayload:
        return await _choose(info, input, marketplace.opt_out_of_brand_messages)

    @strawberry.mutation(description="Turn the messages of one brand you follow back on (NOT_FOUND if you do not follow it), or brand messages as a whole (no brandId; brands turned off one by one stay off). Requires sign-in.")
    async def opt_in_to_brand_messages(self, info: Info, input: Annotated[BrandMessagesInput, MutationInput]) -> BrandMessagesPayload:
        return await _choose(info, input, marketplace.opt_in_to_brand_messages)

    @strawberry.mutation(description="Use a brand message's one-click opt-out link: turns that brand's messages off for the customer it was sent to, without signing in (the same as POST to the link itself). Using it again changes nothing and answers the same; a link that is not one of ours gets OPT_OUT_LINK_INVALID, whatever is wrong with it. The answer never names the customer.")
    async def opt_out_of_brand_messages_with_link(self, info: Info, input: Annotated[OptOutOfBrandMessagesWithLinkInput, MutationInput]) -> OptOutOfBrandMessagesWithLinkPayload:
        secret = identity.signing_key(info.context.settings)
        brand_id, errors = await _run(info, lambda s, viewer: marketplace.opt_out_with_link(s, secret, input.token),
                                      needs_viewer=False)
        brand = await info.context.loaders.brand_by_id.load(brand_id) if brand_id is not None else None
        return OptOutOfBrandMessagesWithLinkPayload(brand=brand, user_errors=errors)

    @strawberry.mutation(description="Write a campaign for a brand you are the registered owner of (FORBIDDEN for anyone else). The platform reviews it: a campaign that breaks a rule of form (lengths, plain text, the brand's own live products, one campaign per brand every 7 days by default: CAMPAIGN_TOO_SOON) is refused with nothing written; one the review refuses is kept as REJECTED with its reasons; else it is SCHEDULED and the platform sends it, in batches, to the brand's followers who have not opted out. You see its counts, never its recipients.")
    async def create_brand_campaign(self, info: Info, input: Annotated[CreateBrandCampaignInput, MutationInput]) -> CreateBrandCampaignPayload:
        brand_id = _brand_pk(input.brand_id)
        products = [ids.decode_as(p, "Product", f"input.productIds.{i}") for i, p in enumerate(input.product_ids)]
        interval = info.context.settings.brand_campaign_interval_days
        campaign, errors = await _run(info, lambda s, viewer: marketplace.create_brand_campaign(
            s, viewer, brand_id=brand_id, kind=input.kind.value, subject=input.subject, body=input.text,
            product_ids=products, interval_days=interval))
        return CreateBrandCampaignPayload(campaign=campaign, user_errors=errors)


async def _choose(info: Info, input: BrandMessagesInput, use_case) -> BrandMessagesPayload:
    pk = _brand_pk(input.brand_id)
    _, errors = await _run(info, lambda s, viewer: use_case(s, viewer, pk))
    if errors:
        return BrandMessagesPayload(preferences=None, follow=None, user_errors=errors)
    viewer = await info.context.viewer()
    preferences = await marketplace.brand_message_preferences(info.context.reader, viewer)
    follow = None
    if pk is not None:
        follow = (await marketplace.my_brand_follow(info.context.reader, viewer, pk))
    return BrandMessagesPayload(preferences=preferences, follow=follow, user_errors=[])
