"""Brand follows and campaigns as GraphQL types. A campaign shows its brand's owner (and
administrators) counts only: no type here leads to a follower."""
import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.core.enums import graphql_enum
from api.core.executor import inline
from api.core.node import Node, node_id
from domain.marketplace import statuses as marketplace_statuses
from domain.marketplace.campaigns import entities

if TYPE_CHECKING:
    from api.catalogue.types import Brand, Product

_catalogue = strawberry.lazy("api.catalogue.types")

BrandCampaignKind = graphql_enum(marketplace_statuses.BrandCampaignKind, description="What a brand campaign is about: NEW_PRODUCT (a product launch), SALE (a price cut) — both name at least one of the brand's products — or ANNOUNCEMENT (news of the brand).")

BrandCampaignStatus = graphql_enum(marketplace_statuses.BrandCampaignStatus, description="Where a brand campaign stands: SCHEDULED (passed review; the platform starts sending it within moments), SENDING (its recipients are fixed and the worker sends them in batches), SENT (every recipient was sent it, or skipped for opting out since), REJECTED (the platform's review refused it: see `rejectionReasons`; it does not count against the interval between campaigns).")


@strawberry.type(description="A campaign's aggregate results, the only thing a brand ever learns of the customers it reached.")
class BrandCampaignResults:
    recipients: int = strawberry.field(description="Followers the campaign goes to: those following the brand, with its messages and brand messages on, when sending started.")
    delivered: int = strawberry.field(description="Recipients the platform has sent the message to (so far, while SENDING).")
    opted_out_since: int = strawberry.field(description="Recipients who have turned off the brand's messages, or all brand messages, since sending started (with the message's one-click link or in their account).")


@strawberry.type(description="A message a brand's registered owner wrote for the brand's followers, sent by the platform. Visible to the brand's owner and administrators only.")
class BrandCampaign(Node):
    id: strawberry.ID = node_id("BrandCampaign")
    kind: BrandCampaignKind = strawberry.field(description="What it is about.")
    subject: str = strawberry.field(description="The subject line (followers see it after the brand's name).")
    status: BrandCampaignStatus = strawberry.field(description="Where it stands.")
    rejection_reasons: list[str] = strawberry.field(description="Why the platform's review refused it; empty unless REJECTED.")
    created_at: datetime.datetime = strawberry.field(description="When its owner created it (UTC).")
    started_at: datetime.datetime | None = strawberry.field(description="When sending started and its recipients were fixed (UTC); null before.")
    finished_at: datetime.datetime | None = strawberry.field(description="When the last recipient was sent it (UTC); null until SENT.")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.BrandCampaign)

    @strawberry.field(description="The message, plain text.")
    @inline
    def text(self) -> str:
        return self.body

    @strawberry.field(description="Counts of recipients, deliveries and opt-outs since; never who.")
    @inline
    def results(self) -> BrandCampaignResults:
        return BrandCampaignResults(recipients=self.recipients_count, delivered=self.delivered_count,
                                    opted_out_since=self.opted_out_since)

    @strawberry.field(description="The brand it was sent for.")
    async def brand(self, info: Info) -> Annotated["Brand", _catalogue] | None:
        return await info.context.loaders.brand_by_id.load(self.brand_id)

    @strawberry.field(description="The brand's products it names, in its order (withdrawn ones left out).")
    async def products(self, info: Info) -> list[Annotated["Product", _catalogue]]:
        found = await info.context.loaders.product_by_id.load_many(self.product_ids)
        return [p for p in found if p is not None]


@strawberry.type(description="A brand you follow. Your follows are yours alone to see: brands learn how many follow them, never who.")
class BrandFollow:
    followed_at: datetime.datetime = strawberry.field(description="When you followed it (UTC).")

    @strawberry.field(description="True when you turned this brand's messages off (you still follow it).")
    @inline
    def messages_opted_out(self) -> bool:
        return self.opted_out_at is not None

    @strawberry.field(description="The brand.")
    async def brand(self, info: Info) -> Annotated["Brand", _catalogue] | None:
        return await info.context.loaders.brand_by_id.load(self.brand_id)


@strawberry.type(description="Your choice about brands' messages.")
class BrandMessagePreferences:
    opted_out_of_all: bool = strawberry.field(description="True when no brand's messages reach you, whatever you follow.")
    opted_out_at: datetime.datetime | None = strawberry.field(description="Since when (UTC); null when brand messages are on.")
    following_count: int = strawberry.field(description="How many brands you follow.")
