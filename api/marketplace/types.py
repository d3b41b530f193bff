"""Marketplace GraphQL types: sellers, offers, price ranges and history, seller applications and the
brand registry."""
import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.core.arguments import After, Before, First, Last
from api.core.enums import graphql_enum
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.executor import inline
from api.core.node import Node, node_id
from api.core.pagination import Connection, connection, page_request
from api.core.scalars import Money
from api.marketplace.enums import ApplicationStatus, MarketplaceErrorCode, PriceChangeSource, SellerLedgerEntryKind
from api.marketplace.resolvers import seller_offers
from domain.marketplace import entities
from domain.marketplace import statuses as marketplace_statuses

if TYPE_CHECKING:
    from api.catalogue.types import Brand, Category, Product
    from api.identity.types import Customer

_catalogue = strawberry.lazy("api.catalogue.types")
_identity = strawberry.lazy("api.identity.types")


@strawberry.type(description="An expected failure of a marketplace mutation.")
class MarketplaceError(UserError):
    code: UserErrorCode = MarketplaceErrorCode.field()


OfferCondition = graphql_enum(marketplace_statuses.OfferCondition, description="Condition of the item an offer sells.")

PurchaseOption = graphql_enum(marketplace_statuses.PurchaseOption, description="What buying an offer gets: BUY (the item, or for a digital title a licence kept for good) or RENT (a streaming video rented: a RENTAL licence, to start watching within 30 days and then playable for 48 hours).")


Fulfilment = graphql_enum(marketplace_statuses.Fulfilment, description="Who stores and ships an offer's items: MERCHANT (the seller, from its own stock) or PLATFORM (the platform's warehouses; Prime-eligible).")

SellerStanding = graphql_enum(marketplace_statuses.SellerStanding, description="A seller's standing with the platform: GOOD (can win the featured offer), AT_RISK (offers shown but never featured), SUSPENDED (offers hidden).")


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
    async def offers(self, info: Info,
                     purchase_option: Annotated[PurchaseOption | None, strawberry.argument(description="Only offers to BUY, or only offers to RENT; null lists both.")] = None,
                     first: First = None, after: After = None,
                     last: Last = None, before: Before = None) -> Connection["Offer"]:
        return await seller_offers(info.context.loaders, self.id, purchase_option, first, after, last, before)

    @strawberry.field(description="What the platform owes the seller: the sum of its ledger entries (negative when the seller owes the platform). Visible to this seller's staff and administrators only; null for everyone else.")
    async def balance(self, info: Info) -> Money | None:
        return await info.context.loaders.seller_balance_by_id.load(self.id)

    @strawberry.field(description="The seller's ledger, newest first: every sale, commission, refund, commission reversal, payout and adjustment; the balance is their sum. Visible to this seller's staff and administrators only; null for everyone else. Page size 1-100 (default 20).")
    async def ledger(self, info: Info, first: First = None, after: After = None) -> Connection["SellerLedgerEntry"] | None:
        page = page_request(first, after)
        found = await info.context.loaders.seller_ledger_by_id.load((self.id, (page.offset, page.limit)))
        return None if found is None else connection(found)


@strawberry.type(description="A seller's offer to sell a product: price, condition, stock and fulfilment.")
class Offer(Node):
    id: strawberry.ID = node_id("Offer")
    condition: OfferCondition = strawberry.field(description="New or used.")
    purchase_option: PurchaseOption = strawberry.field(description="BUY, or RENT for a streaming video's rental offer. Rental offers are featured and priced apart from offers to buy: `Product.featuredOffer(purchaseOption: RENT)`, `priceRange(purchaseOption: RENT)`, `offers(purchaseOption: RENT)`.")
    condition_note: str = strawberry.field(description="The seller's note on a used item's condition; may be empty.")
    fulfilment: Fulfilment = strawberry.field(description="Who ships it.")
    prime_eligible: bool = strawberry.field(description="True when fulfilled by the platform.")
    price: Money = strawberry.field(description="Price of one unit: what everyone pays, unless a Prime member and the offer has a `memberPrice`.")
    member_price: Money | None = strawberry.field(description="What Prime members pay for one unit instead (a Prime price), always lower than `price`; null when the offer has none. A member's cart charges it (`CartLine.memberSavings` shows the difference). Public.")
    shipping_price: Money = strawberry.field(description="The seller's shipping charge per unit (before delivery options).")
    landed_price: Money = strawberry.field(description="Price plus shipping: what the featured offer is chosen on.")
    in_stock: bool = strawberry.field(description="Whether at least one unit is available.")
    updated_at: datetime.datetime = strawberry.field(description="When the offer last changed (UTC).")
    archived_at: datetime.datetime | None = strawberry.field(description="When the seller withdrew the offer (UTC); null while it is live. Archived offers appear only in the payload of `archiveOffer`.")
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

    @strawberry.field(description="Every price the offer has had, newest first; entries are never changed or removed. Page size 1-100 (default 20).")
    async def price_history(self, info: Info, first: First = None, after: After = None) -> Connection["PriceChange"]:
        page = page_request(first, after)
        return connection(await info.context.loaders.price_history_by_offer_id.load((self.id, (page.offset, page.limit))))

    @strawberry.field(description="The lowest price in effect during the 30 days before the current price took effect (a \"was\" price); null when the price never changed or no earlier price is known.")
    async def prior_price(self, info: Info) -> Money | None:
        return await info.context.loaders.prior_price_by_offer_id.load(self.id)


@strawberry.type(description="The lowest and highest price of a product's in-stock offers for one purchase option.")
class PriceRange:
    min_price: Money = strawberry.field(name="min", description="Lowest in-stock offer price.")
    max_price: Money = strawberry.field(name="max", description="Highest in-stock offer price.")
    offer_count: int = strawberry.field(description="Number of in-stock offers.")
    member_min_price: Money | None = strawberry.field(name="memberMin", description="Lowest in-stock price a Prime member pays: each offer's member price where it has one, else its price. Null when no in-stock offer has a member price.")


@strawberry.type(description="The competitor whose lower price the platform matched, with the evidence. Shown to administrators and the offer's seller staff only.")
class CompetitorMatch:
    competitor_name: str = strawberry.field(description="The competitor.")
    competitor_price: Money = strawberry.field(description="The competitor's price that was matched.")
    evidence_url: str = strawberry.field(description="https:// link to where the competitor showed that price.")


@strawberry.type(description="One entry of an offer's price history: the price and shipping from `changedAt` until the next entry.")
class PriceChange:
    price: Money = strawberry.field(description="Price of one unit from then on.")
    shipping_price: Money = strawberry.field(description="Shipping charge per unit from then on.")
    changed_at: datetime.datetime = strawberry.field(description="When the price took effect (UTC).")
    source: PriceChangeSource = strawberry.field(description="Who set it.")

    @strawberry.field(description="With COMPETITOR_MATCH: the competitor and evidence; null otherwise, and for callers other than administrators and the offer's seller staff.")
    def competitor_match(self) -> CompetitorMatch | None:
        if self.competitor_name is None:
            return None
        return CompetitorMatch(competitor_name=self.competitor_name, competitor_price=self.competitor_price,
                               evidence_url=self.evidence_url)


@strawberry.type(description="A customer's application to sell on the platform. Visible to the applicant and administrators.")
class SellerApplication(Node):
    id: strawberry.ID = node_id("SellerApplication")
    name: str = strawberry.field(description="Proposed storefront name.")
    slug: str = strawberry.field(description="Proposed URL-safe name.")
    status: ApplicationStatus = strawberry.field(description="Where the application stands.")
    created_at: datetime.datetime = strawberry.field(description="When it was filed (UTC).")
    decided_at: datetime.datetime | None = strawberry.field(description="When an administrator decided (UTC); null while pending.")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.SellerApplication)

    @strawberry.field(description="Why it was rejected; null unless rejected.")
    @inline
    def rejection_reason(self) -> str | None:
        return self.reason if self.status == ApplicationStatus.REJECTED else None

    @strawberry.field(description="The seller created on approval; null before.")
    async def seller(self, info: Info) -> Seller | None:
        if self.seller_id is None:
            return None
        return await info.context.loaders.seller_by_id.load(self.seller_id)

    @strawberry.field(description="Who applied (the applicant and administrators see it).")
    async def applicant(self, info: Info) -> Annotated["Customer", _identity] | None:
        return await info.context.loaders.account_by_id.load(self.account_id)


@strawberry.type(description="A customer's claim to own a brand, proved by a trademark. Visible to the applicant and administrators.")
class BrandRegistration(Node):
    id: strawberry.ID = node_id("BrandRegistration")
    brand_name: str | None = strawberry.field(description="The new brand's name, for claims of a brand not yet in the catalogue; null for an existing brand.")
    trademark_number: str = strawberry.field(description="Registration number of the trademark.")
    evidence_url: str | None = strawberry.field(description="Link to the trademark record, if given.")
    status: ApplicationStatus = strawberry.field(description="Where the registration stands.")
    created_at: datetime.datetime = strawberry.field(description="When it was filed (UTC).")
    decided_at: datetime.datetime | None = strawberry.field(description="When an administrator decided (UTC); null while pending.")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.BrandRegistration)

    @strawberry.field(description="Why it was rejected; null unless rejected.")
    @inline
    def rejection_reason(self) -> str | None:
        return self.reason if self.status == ApplicationStatus.REJECTED else None

    @strawberry.field(description="The brand claimed; for a new brand name, the brand created on approval (null before).")
    async def brand(self, info: Info) -> Annotated["Brand", _catalogue] | None:
        if self.brand_id is None:
            return None
        return await info.context.loaders.brand_by_id.load(self.brand_id)

    @strawberry.field(description="Who applied (the applicant and administrators see it).")
    async def applicant(self, info: Info) -> Annotated["Customer", _identity] | None:
        return await info.context.loaders.account_by_id.load(self.account_id)


@strawberry.type(description="A change of a seller's standing, as recorded for the audit trail.")
class SellerStandingChange:
    standing: SellerStanding = strawberry.field(description="The standing set.")
    reason: str = strawberry.field(description="Why the administrator set it.")
    changed_at: datetime.datetime = strawberry.field(description="When (UTC).")


@strawberry.type(description="One movement of money in a seller's ledger. Entries are never changed or removed; a correction is a new entry.")
class SellerLedgerEntry:
    kind: SellerLedgerEntryKind = strawberry.field(description="What moved the money.")
    amount: Money = strawberry.field(description="Signed: positive adds to the seller's balance, negative takes from it.")
    reference: str = strawberry.field(description="What it was for: the order line of a sale and its commission, the refund of a refund and its reversal, the payout's own id, or the case of an adjustment.")
    created_at: datetime.datetime = strawberry.field(description="When it was recorded (UTC).")

    @strawberry.field(description="On a COMMISSION: the rate it was taken at, in percent (e.g. 8.00); null on other entries.")
    @inline
    def commission_rate_percent(self) -> Decimal | None:
        return self.rate_percent


@strawberry.type(description="The commission (referral fee) the platform takes on third-party sales in a category: 6% to 20% of the item price, rounded half-up to the cent. A category without a rate of its own takes its nearest ancestor's, else the platform default (15%). The platform's own retail sales pay none. Public.")
class CommissionRate:
    @strawberry.field(description="The rate in hundredths of a percent (850 = 8.5%).")
    @inline
    def basis_points(self) -> int:
        return self.rate_bps

    @strawberry.field(description="The rate in percent, e.g. 8.50.")
    @inline
    def rate_percent(self) -> Decimal:
        return self.percent

    @strawberry.field(description="The category the rate applies in.")
    async def category(self, info: Info) -> Annotated["Category", _catalogue] | None:
        return await info.context.loaders.category_by_id.load(self.category_id)

    @strawberry.field(description="The category whose rate this is: the category itself, or the nearest ancestor with a rate; null when the platform default applies.")
    async def set_on(self, info: Info) -> Annotated["Category", _catalogue] | None:
        if self.set_on_id is None:
            return None
        return await info.context.loaders.category_by_id.load(self.set_on_id)
