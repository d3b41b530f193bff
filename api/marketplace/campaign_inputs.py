"""Inputs of brand follows, brand-message choices and brand campaigns."""
import strawberry

from api.marketplace.campaign_types import BrandCampaignKind


@strawberry.input(description="A brand to follow or unfollow.")
class FollowBrandInput:
    brand_id: strawberry.ID = strawberry.field(description="Global ID of a live brand.")


@strawberry.input(description="Whose messages to turn off or on: one followed brand, or all brands.")
class BrandMessagesInput:
    brand_id: strawberry.ID | None = strawberry.field(default=None, description="Global ID of a brand you follow; null (the default) for every brand's messages.")


@strawberry.input(description="The token of a brand message's one-click opt-out link.")
class OptOutOfBrandMessagesWithLinkInput:
    token: str = strawberry.field(description="The `token` parameter of the link (at most 200 characters).")


@strawberry.input(description="A campaign for a brand you own, for the platform to review and send to its followers.")
class CreateBrandCampaignInput:
    brand_id: strawberry.ID = strawberry.field(description="Global ID of the brand; you must be its registered owner.")
    kind: BrandCampaignKind = strawberry.field(description="What it is about.")
    subject: str = strawberry.field(description="Subject line: plain text on one line, 1-150 characters.")
    text: str = strawberry.field(description="The message: plain text (no HTML), 1-5,000 characters, with no links or e-mail addresses (followers are reached only through the platform; the review rejects them).")
    product_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="Up to 10 live products of the brand it is about (global IDs); NEW_PRODUCT and SALE campaigns name at least one.")
