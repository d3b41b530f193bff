"""Catalogue GraphQL types. Resolvers receive domain entities as `self`; plain fields are
attribute reads, cross-entity fields go through loaders."""
import datetime
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Optional

import strawberry
from strawberry.types import Info

from api.carts.resolvers import product_estimate
from api.catalogue.enums import (
    AttributeType,
    CatalogueErrorCode,
    ProductFormat,
    ProductKind,
)
from api.catalogue.resolvers import featured_offer_of, load_product_relations, price_range_of
from api.core.arguments import After, Before, First, Last, Reverse
from api.core.dataloaders import loaded, loaded_all
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.executor import inline
from api.core.node import Node, node_id
from api.core.pagination import Connection, connection, page_request
from api.marketplace.resolvers import product_offers
from api.marketplace.types import PurchaseOption
from api.questions.enums import QuestionSortKey
from api.questions.types import Question, QuestionSortArg, product_questions
from api.recommendations.types import RELATED_DEFAULT, RelatedFirst, related_products
from api.reviews.enums import ReviewSortKey
from api.reviews.types import RatingSummary, Review, ReviewFilterArg, ReviewSortArg, product_reviews, rating_summary
from api.search.inputs import FilterArg, ProductSortKey, SortArg
from api.search.resolvers import browse
from domain.catalogue import entities
from domain.reviews.entities import RatingSummary as ReviewSummaryEntity
from domain.subscriptions import service as subscriptions

if TYPE_CHECKING:
    from api.carts.estimates import DeliveryEstimate
    from api.marketplace.campaign_types import BrandCampaign
    from api.marketplace.types import Offer, OfferCondition, PriceRange

_marketplace = strawberry.lazy("api.marketplace.types")
_estimates = strawberry.lazy("api.carts.estimates")


@strawberry.type(description="A typed product attribute such as language, pages, colour or weight.")
class ProductAttribute:
    """Read from a (name, value as text, type) tuple (`_attribute`): no object is made per
    attribute."""

    @strawberry.field(description="Attribute name in camelCase, e.g. `pages`.")
    @inline
    def name(self) -> str:
        return self[0]

    @strawberry.field(description="The value as text (JSON for lists).")
    @inline
    def value(self) -> str:
        return self[1]

    @strawberry.field(description="The value's type, to parse `value`.")
    @inline
    def type(self) -> AttributeType:
        return self[2]


@strawberry.type(description="A product image, in display order.")
class Image:
    """Read from the product's stored image itself (a mapping with `url`, `altText`, `width`
    and `height`): no object is made per image."""

    @strawberry.field(description="Absolute URL of the image.")
    @inline
    def url(self) -> str:
        return self["url"]

    @strawberry.field(description="Text alternative for screen readers.")
    @inline
    def alt_text(self) -> str | None:
        return self.get("altText")

    @strawberry.field(description="Width in pixels, when known.")
    @inline
    def width(self) -> int | None:
        return self.get("width")

    @strawberry.field(description="Height in pixels, when known.")
    @inline
    def height(self) -> int | None:
        return self.get("height")


PurchaseOptionArg = Annotated[PurchaseOption, strawberry.argument(
    description="BUY (default): offers to buy; RENT: a streaming video's rental offers.")]


def _attribute(name: str, value: object) -> tuple[str, str, AttributeType]:
    """A `ProductAttribute`: (name, value as text, type)."""
    kind = value.__class__
    if kind is str:  # the usual value, first
        return name, value, AttributeType.STRING
    if kind is bool:  # bool before int: bool is an int in Python
        return name, "true" if value else "false", AttributeType.BOOLEAN
    if isinstance(value, int | float) and not isinstance(value, bool):
        return name, str(value), AttributeType.NUMBER
    if isinstance(value, list):
        return name, json.dumps(value), AttributeType.LIST
    return name, str(value), AttributeType.STRING


async def _present(found) -> list:
    return [value for value in await found if value is not None]


@strawberry.type(description="A category of the catalogue tree (e.g. Books > Fantasy).")
class Category(Node):
    id: strawberry.ID = node_id("Category")
    name: str = strawberry.field(description="Display name.")
    slug: str = strawberry.field(description="URL-safe unique name, for `category(slug:)`.")
    description: str = strawberry.field(description="Longer text for the category page; may be empty.")
    position: int = strawberry.field(description="Order among its siblings (lower first).")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Category)

    @strawberry.field(description="When an administrator archived it; set only in the payload of `archiveCategory` (archived categories are hidden everywhere else).")
    @inline
    def archived_at(self) -> datetime.datetime | None:
        return getattr(self, "archived_at", None)

    @strawberry.field(description="Depth in the tree: 0 for a top-level category.")
    @inline
    def depth(self) -> int:
        return self.depth

    @strawberry.field(description="The parent category; null at the top level.")
    async def parent(self, info: Info) -> Optional["Category"]:
        if self.parent_id is None:
            return None
        return await info.context.loaders.category_by_id.load(self.parent_id)

    @strawberry.field(description="Direct subcategories in display order.")
    async def children(self, info: Info) -> list["Category"]:
        return await info.context.loaders.categories_by_parent_id.load(self.id) or []

    @strawberry.field(description="Categories from the top level down to the parent (breadcrumbs); empty at the top level.")
    def ancestors(self, info: Info) -> list["Category"]:
        # At once when loaded with the category (its loader loads the ancestors too).
        found = loaded_all(info.context.loaders.category_by_id, self.ancestor_ids)
        return [c for c in found if c is not None] if isinstance(found, list) else _present(found)

    @strawberry.field(description="Live products in this category and all its subcategories. Page size 1-100 (default 20).")
    async def products(
        self, info: Info,
        filter: FilterArg = None,
        sort_key: SortArg = ProductSortKey.POPULARITY,
        reverse: Reverse = False,
        first: First = None, after: After = None,
        last: Last = None, before: Before = None,
    ) -> Connection["Product"]:
        return await browse(info, filter, sort_key, reverse, first, after, last, before,
                            category_id=self.id)


@strawberry.type(description="A brand of general merchandise (books have authors instead).")
class Brand(Node):
    id: strawberry.ID = node_id("Brand")
    name: str = strawberry.field(description="Display name.")
    slug: str = strawberry.field(description="URL-safe unique name, for `brand(slug:)`.")
    description: str = strawberry.field(description="About the brand; may be empty. Its registered owner edits it (`updateBrand`).")
    logo_url: str | None = strawberry.field(description="The brand's logo, an https:// image URL; null when it has none. Its registered owner sets it (`updateBrand`).")
    archived_at: datetime.datetime | None = strawberry.field(description="When an administrator archived it; set only in the payload of `archiveBrand` (archived brands are hidden everywhere else).")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Brand)

    @strawberry.field(description="How many customers follow the brand. Visible to the brand's registered owner and administrators only (null for everyone else); nobody ever learns who follows.")
    async def follower_count(self, info: Info) -> int | None:
        return await info.context.loaders.brand_follower_count_by_id.load(self.id)

    @strawberry.field(description="Whether you follow the brand (false when not signed in). Your own follows only.")
    async def viewer_follows(self, info: Info) -> bool:
        return bool(await info.context.loaders.brand_followed_by_viewer.load(self.id))

    @strawberry.field(description="The brand's campaigns, newest first, with their aggregate results. Visible to the brand's registered owner and administrators only (null for everyone else). Page size 1-100 (default 20).")
    async def campaigns(self, info: Info, first: First = None,
                        after: After = None) -> Connection[Annotated["BrandCampaign", strawberry.lazy("api.marketplace.campaign_types")]] | None:
        page = page_request(first, after)
        found = await info.context.loaders.brand_campaigns_by_brand_id.load((self.id, (page.offset, page.limit)))
        return None if found is None else connection(found)

    @strawberry.field(description="Live products of this brand. Page size 1-100 (default 20).")
    async def products(
        self, info: Info,
        filter: FilterArg = None,
        sort_key: SortArg = ProductSortKey.POPULARITY,
        reverse: Reverse = False,
        first: First = None, after: After = None,
        last: Last = None, before: Before = None,
    ) -> Connection["Product"]:
        return await browse(info, filter, sort_key, reverse, first, after, last, before,
                            brand_id=self.id)


@strawberry.type(description="A title in all its formats (hardcover, paperback, Kindle edition...).")
class Work(Node):
    id: strawberry.ID = node_id("Work")
    title: str = strawberry.field(description="The title shared by the formats.")
    original_title: str | None = strawberry.field(description="Title of the first edition, when it differs.")
    original_publication_year: int | None = strawberry.field(description="Year of first publication; negative for ancient works.")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Work)

    @strawberry.field(description="The live products (formats) of this work.")
    async def products(self, info: Info) -> list["Product"]:
        return await info.context.loaders.products_by_work_id.load(self.id) or []


@strawberry.type(description="What Subscribe & Save offers on a product.")
class SubscribeAndSave:
    eligible: bool = strawberry.field(description="True for everyday consumables (grocery and household) that can be subscribed to.")
    discount_percent: int = strawberry.field(description="Percent off the offer's price on each delivery (delivery is free too); with `tiered`, the discount when 5 or more of the customer's subscriptions arrive the same day. 0 when not eligible.")
    tiered: bool = strawberry.field(description="True when the discount is tiered: a lower base discount (5% by default) below 5 subscriptions arriving the same day.")
    frequencies: list[int] = strawberry.field(description="Months between deliveries a subscription may choose (1-6); empty when not eligible.")


@strawberry.type(description="A catalogue product: one sellable format of a thing, offered by one or more sellers.")
class Product(Node):
    id: strawberry.ID = node_id("Product")
    title: str = strawberry.field(description="Display title.")
    slug: str = strawberry.field(description="URL-safe unique name, for `product(slug:)`.")
    description: str = strawberry.field(description="Plain-text description; may be empty.")
    kind: ProductKind = strawberry.field(description="How it is delivered: PHYSICAL (shipped, DVDs and Blu-rays included), EBOOK, VIDEO (streamed) or MEMBERSHIP.")
    format: ProductFormat = strawberry.field(description="Edition format (STANDARD for general merchandise).")
    isbn: str | None = strawberry.field(description="ISBN-13, for books that have one.")
    authors: list[str] = strawberry.field(description="Authors (and contributors) in credit order; empty for merchandise.")
    release_date: datetime.date | None = strawberry.field(description="Release date; in the future for pre-orders.")
    average_rating: Decimal | None = strawberry.field(description="Average stars of the published reviews of this product's work (all its formats), 1-5 to one decimal: the same number as `ratingSummary.average`, the RATING sort and the `minRating` filter. Null before the first review, and for merchandise, which has no reviews.")
    ratings_count: int = strawberry.field(description="Number of published reviews of this product's work, star-only ratings included: `ratingSummary.count`.")
    created_at: datetime.datetime = strawberry.field(description="When the product was added (UTC).")
    updated_at: datetime.datetime = strawberry.field(description="When the product last changed (UTC).")
    archived_at: datetime.datetime | None = strawberry.field(description="When an administrator archived it; set only in the payload of `archiveProduct` (archived products are hidden from search, listings and lookups).")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Product)

    @strawberry.field(description="True for an e-book its buyers may lend once, for 14 days, to another customer (`lendEbook`); false otherwise.")
    async def lendable(self, info: Info) -> bool:
        return bool(await info.context.loaders.lendable_by_product_id.load(self.id))

    @strawberry.field(description="True while the release date is in the future: orders are pre-orders.")
    @inline
    def is_preorder(self) -> bool:
        return self.is_preorder

    @strawberry.field(description="True when Prime members may borrow it at no cost (`borrowTitle`): e-books and streaming videos of the membership library.")
    @inline
    def included_with_prime(self) -> bool:
        return self.membership_included

    @strawberry.field(description="Subscribe & Save: whether cart lines of this product may be subscriptions (`addCartLines` with `subscription`), the discount each delivery gets, and the frequencies on offer. Public.")
    def subscribe_and_save(self, info: Info) -> SubscribeAndSave:
        terms = subscriptions.sns_pricing.terms(info.context.settings, self.subscribe_eligible)
        return SubscribeAndSave(eligible=terms.eligible, discount_percent=terms.discount_percent, tiered=terms.tiered,
                                frequencies=list(terms.frequencies))

    @strawberry.field(description="Typed attributes (language, pages, colour, weight...).")
    def attributes(self) -> list[ProductAttribute]:
        return [_attribute(name, value) for name, value in self.attributes.items()]

    @strawberry.field(description="Images in display order; the first is the main image.")
    def images(self) -> list[Image]:
        return self.images  # each read by `Image` as it is stored

    # The three below return the loaded value, or its future while the batch is on its way
    # (`loaded`): a list of products has loaded its categories by level.
    @strawberry.field(description="The category the product is listed in.")
    def category(self, info: Info) -> Category:
        return loaded(info.context.loaders.category_by_id, self.category_id)

    @strawberry.field(description="The brand; null for books.")
    def brand(self, info: Info) -> Optional[Brand]:
        if self.brand_id is None:
            return None
        return loaded(info.context.loaders.brand_by_id, self.brand_id)

    @strawberry.field(description="The work this product is a format of; null for products with a single format.")
    def work(self, info: Info) -> Optional[Work]:
        if self.work_id is None:
            return None
        return loaded(info.context.loaders.work_by_id, self.work_id)

    @strawberry.field(description="Every live format of the same work, this one included, for the format switcher.")
    async def formats(self, info: Info) -> list["Product"]:
        if self.work_id is None:
            formats = [self]
        else:
            formats = await info.context.loaders.products_by_work_id.load(self.work_id) or [self]
        await load_product_relations(info, formats, ())
        return formats

    @strawberry.field(description="The featured offer (buy box) for a purchase option: lowest landed price among in-stock offers of new items from sellers in good standing, Prime preferred on a tie. `purchaseOption: RENT` gives a streaming video's featured rental offer (what \"Rent\" costs next to \"Buy\"). Null when nobody has it in stock for that option.")
    def featured_offer(self, info: Info, purchase_option: PurchaseOptionArg = PurchaseOption.BUY,
                       ) -> Optional[Annotated["Offer", _marketplace]]:
        return featured_offer_of(info.context.loaders, self.id, purchase_option)

    @strawberry.field(description="Lowest and highest price of the in-stock offers for a purchase option (BUY by default; RENT for a streaming video's rental prices); null when none is in stock for that option.")
    def price_range(self, info: Info, purchase_option: PurchaseOptionArg = PurchaseOption.BUY,
                    ) -> Optional[Annotated["PriceRange", _marketplace]]:
        return price_range_of(info.context.loaders, self.id, purchase_option)

    @strawberry.field(description="When the featured offer (for the purchase option) would reach you: the earliest delivery option a cart holding it alone would show, by the cart's own rules; for a pre-order, counted from the release date; for e-books and streams, when they are in your library. For the location given, else your default address when signed in, else the service's default location (`TRIBUTARY_DEFAULT_DELIVERY_COUNTRY`...). Costs SQL only when asked for.")
    async def delivery_estimate(
        self, info: Info,
        purchase_option: PurchaseOptionArg = PurchaseOption.BUY,
        country_code: Annotated[Optional[str], strawberry.argument(description="Deliver to this country (ISO 3166 2-letter code, e.g. US; one we ship to). Without it: your default address when signed in, else the service's default location.")] = None,
        region: Annotated[Optional[str], strawberry.argument(description="With countryCode: the state, province or county (e.g. WA); at most 100 characters.")] = None,
        city: Annotated[Optional[str], strawberry.argument(description="With countryCode: the city (same-day delivery goes by city); at most 100 characters.")] = None,
        postal_code: Annotated[Optional[str], strawberry.argument(description="With countryCode: the postal code; at most 20 characters.")] = None,
    ) -> Annotated["DeliveryEstimate", _estimates]:
        return await product_estimate(info, self, purchase_option, country_code, region, city, postal_code)

    @strawberry.field(description="The rating summary of the work this product is a format of (its formats share reviews): average, count and 1-5 histogram. Empty for merchandise, which has no reviews.")
    async def rating_summary(self, info: Info) -> RatingSummary:
        if self.work_id is None:
            return rating_summary(ReviewSummaryEntity(0))
        return rating_summary(await info.context.loaders.rating_summary_by_work_id.load(self.work_id))

    @strawberry.field(description="Published reviews of this product's work (every format's), each naming the format bought. Public. Page size 1-100 (default 20); empty for merchandise.")
    async def reviews(self, info: Info, sort_key: ReviewSortArg = ReviewSortKey.MOST_HELPFUL,
                      filter: ReviewFilterArg = None, first: First = None, after: After = None,
                      ) -> Connection[Review]:
        return await product_reviews(info, self.work_id, sort_key, filter, first, after)

    @strawberry.field(description="Published customer questions about this product (each format has its own), each with its most helpful answer as `topAnswer`. Public. Page size 1-100 (default 20); `totalCount` counts them all.")
    async def questions(self, info: Info, sort_key: QuestionSortArg = QuestionSortKey.MOST_ANSWERED,
                        first: First = None, after: After = None) -> Connection[Question]:
        return await product_questions(info, self.id, sort_key, first, after)

    @strawberry.field(description="Customers who bought this also bought: products you can buy now, most related first, never another format of this work. Learnt nightly from all customers' orders and ratings. Public.")
    async def also_bought(self, info: Info, first: RelatedFirst = RELATED_DEFAULT) -> list["Product"]:
        return await related_products(info, "also_bought_by_product_id", self.id, first)

    @strawberry.field(description="Frequently bought together: products bought in the same order as this one more often than chance explains (observed minus expected co-purchases), that you can buy now. Learnt nightly. Public.")
    async def bought_together(self, info: Info, first: RelatedFirst = RELATED_DEFAULT) -> list["Product"]:
        return await related_products(info, "bought_together_by_product_id", self.id, first)

    @strawberry.field(description="Every seller's visible offer on this product: in stock first, then by landed price. Page size 1-100 (default 20).")
    async def offers(
        self, info: Info,
        condition: Annotated[Optional[Annotated["OfferCondition", _marketplace]], strawberry.argument(description="Only offers in this condition.")] = None,
        purchase_option: Annotated[Optional[PurchaseOption], strawberry.argument(description="Only offers to BUY, or only offers to RENT; null lists both.")] = None,
        first: First = None, after: After = None,
        last: Last = None, before: Before = None,
    ) -> Connection[Annotated["Offer", _marketplace]]:
        return await product_offers(info.context.loaders, self.id, condition, purchase_option, first, after, last, before)


@strawberry.type(description="An expected failure of a catalogue mutation.")
class CatalogueError(UserError):
    code: UserErrorCode = CatalogueErrorCode.field()
