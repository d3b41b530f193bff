"""Inputs shared by `search`, `products` and the products of categories and brands."""
from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Annotated, Optional

import strawberry
from graphql import GraphQLError

from api.catalogue.enums import ProductFormat, ProductKind
from api.core import ids
from domain.search.entities import ProductFilter
from domain.shared.money import Money


@strawberry.enum(description="Orders for product lists (reverse: true flips them): RELEVANCE (best text match first; popularity without a query), POPULARITY (most rated first), PRICE (cheapest featured offer first: the price the product card shows, `featuredOffer.price`; products without a featured offer last, in both directions), RATING (best average rating first), NEWEST (latest release first), TITLE (alphabetical). Ties are broken by product, so pages are stable.")
class ProductSortKey(str, Enum):
    RELEVANCE = "RELEVANCE"
    POPULARITY = "POPULARITY"
    PRICE = "PRICE"
    RATING = "RATING"
    NEWEST = "NEWEST"
    TITLE = "TITLE"


@strawberry.input(description="Filters for product lists; all given filters must hold.")
class ProductFilterInput:
    category_id: strawberry.ID | None = strawberry.field(default=None, description="Only this category and its subcategories.")
    brand_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Only these brands (at most 50).")
    kinds: list[ProductKind] | None = strawberry.field(default=None, description="Only these kinds.")
    formats: list[ProductFormat] | None = strawberry.field(default=None, description="Only these formats.")
    min_price: Decimal | None = strawberry.field(default=None, description="The featured offer's price (`featuredOffer.price`, as PRICE sorts) at least this (USD); products without a featured offer are left out.")
    max_price: Decimal | None = strawberry.field(default=None, description="The featured offer's price (`featuredOffer.price`, as PRICE sorts) at most this (USD); products without a featured offer are left out.")
    min_rating: Decimal | None = strawberry.field(default=None, description="Average rating at least this (0-5).")
    prime_eligible: bool | None = strawberry.field(default=None, description="Only products with (true) or without (false) an in-stock Prime offer.")
    in_stock: bool | None = strawberry.field(default=None, description="Only products with (true) or without (false) an in-stock offer.")


def _price(value: Decimal | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        return Money.from_amount(value).minor
    except (ValueError, ArithmeticError):
        raise GraphQLError(f"Argument filter.{name}: {value} is not an amount in USD.",
                           extensions={"code": "BAD_USER_INPUT", "reason": "INVALID_PRICE",
                                       "field": ["filter", name]}) from None


# The filter of a list asked for without one (frozen: shared by every such request).
_NO_FILTER = ProductFilter()


def to_domain(value: ProductFilterInput | None, *, category_id: int | None = None,
              brand_id: int | None = None) -> ProductFilter:
    """The domain filter; `category_id`/`brand_id` narrow it further (a category's own list)."""
    if value is None:
        # No filter asked for, the usual listing: no input object is made to read its defaults.
        if brand_id is None:
            return _NO_FILTER if category_id is None else ProductFilter(category_id=category_id)
        value = ProductFilterInput()
    brand_ids = tuple(ids.decode_as(b, "Brand", f"filter.brandIds.{i}") for i, b in enumerate(value.brand_ids or ()))
    if brand_id is not None:
        brand_ids = (brand_id,)
    filter_category = (ids.decode_as(value.category_id, "Category", "filter.categoryId")
                       if value.category_id is not None else None)
    return ProductFilter(
        category_id=category_id if category_id is not None else filter_category,
        brand_ids=brand_ids,
        kinds=tuple(k.value for k in value.kinds or ()),
        formats=tuple(f.value for f in value.formats or ()),
        min_price_minor=_price(value.min_price, "minPrice"),
        max_price_minor=_price(value.max_price, "maxPrice"),
        min_rating=value.min_rating,
        prime_eligible=value.prime_eligible,
        in_stock=value.in_stock,
    )


FilterArg = Annotated[Optional[ProductFilterInput], strawberry.argument(description="Filters; all must hold.")]
SortArg = Annotated[ProductSortKey, strawberry.argument(description="The order of the list.")]
