"""Marketplace GraphQL types: sellers, offers and price ranges."""
import datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.arguments import After, Before, First, Last
from api.executor import inline
from api.node import Node, node_id
from api.pagination import Connection
from api.scalars import Money
from domain.marketplace import entities

if TYPE_CHECKING:
    from api.catalogue.types import Product

_catalogue = strawberry.lazy("api.catalogue.types")


@strawberry.enum(description="Condition of the item an offer sells.")
class OfferCondition(str, Enum):
    NEW = "NEW"
    USED = "USED"


@strawberry.enum(description="Who stores and ships an offer's items: MERCHANT (the seller, from its own stock) or PLATFORM (the platform's warehouses; Prime-eligible).")
class Fulfilment(str, Enum):
    MERCHANT = "MERCHANT"
    PLATFORM = "PLATFORM"


@strawberry.enum(description="A seller's standing with the platform: GOOD (can win the featured offer), AT_RISK (offers shown but never featured), SUSPENDED (offers hidden).")
class SellerStanding(str, Enum):
    GOOD = "GOOD"
    AT_RISK = "AT_RISK"
    SUSPENDED = "SUSPENDED"


@strawberry.type(description="A seller: the platform's own retail business or a third-party seller. Its staff and customers' identities are never shown.")
class Seller(Node):
    id: strawberry.ID = node_id("Seller")
    name: str = strawberry.field(description="Public storefront name.")
    slug: str = strawberry.field(description="URL-safe unique name, for `seller(slug:)`.")
    is_first_party: bool = strawberry.field(description="True for the platform's own retail business.")
    standing: SellerStanding = strawberry.field(description="Standing with the platform.")
    rating: Decimal | None = strawberry.field(description="Average buyer rating of the seller, 0-5.")
    ratings_count: int = strawberry.field(description="Number of buyer ratings of the seller.")
    created_at: datetime.datetime = strawberry.field(description="When the seller joined (UTC).")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Seller)

    @strawberry.field(description="The seller's live offers, newest first. Page size 1-100 (default 20).")
    async def offers(self, info: Info, first: First = None, after: After = None,
                     last: Last = None, before: Before = None) -> Connection["Offer"]:
        from api.marketplace.queries import seller_offers
        return await seller_offers(info, self.id, first, after, last, before)


@strawberry.type(description="A seller's offer to sell a product: price, condition, stock and fulfilment.")
class Offer(Node):
    id: strawberry.ID = node_id("Offer")
    condition: OfferCondition = strawberry.field(description="New or used.")
    condition_note: str = strawberry.field(description="The seller's note on a used item's condition; may be empty.")
    fulfilment: Fulfilment = strawberry.field(description="Who ships it.")
    prime_eligible: bool = strawberry.field(description="True when fulfilled by the platform.")
    price: Money = strawberry.field(description="Price of one unit.")
    shipping_price: Money = strawberry.field(description="The seller's shipping charge per unit (before delivery options).")
    landed_price: Money = strawberry.field(description="Price plus shipping: what the featured offer is chosen on.")
    in_stock: bool = strawberry.field(description="Whether at least one unit is available.")
    updated_at: datetime.datetime = strawberry.field(description="When the offer last changed (UTC).")
    seller: Seller = strawberry.field(description="The seller making the offer.")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Offer)

    @strawberry.field(description="Units available now (a snapshot; checkout re-checks).")
    @inline
    def quantity_available(self) -> int:
        return self.quantity


    @strawberry.field(description="The product offered.")
    async def product(self, info: Info) -> Annotated["Product", _catalogue]:
        return await info.context.loaders.product_by_id.load(self.product_id)


@strawberry.type(description="The lowest and highest price of a product's in-stock offers.")
class PriceRange:
    min_price: Money = strawberry.field(name="min", description="Lowest in-stock offer price.")
    max_price: Money = strawberry.field(name="max", description="Highest in-stock offer price.")
    offer_count: int = strawberry.field(description="Number of in-stock offers.")
