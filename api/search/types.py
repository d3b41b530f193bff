"""Search results: a product connection with facets and the spelling actually searched."""
from __future__ import annotations

import asyncio
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.catalogue.enums import ProductFormat, ProductKind
from api.catalogue.types import Brand, Category, Product
from api.core.dataloaders import load_batch, loaded_all
from api.core.enums import graphql_enum
from api.core.lookahead import selects
from api.core.pagination import Edge, PageInfo, page_edges
from api.core.scalars import Money
from domain.search import service as search
from domain.search import statuses as search_statuses
from domain.search.entities import COUNT_LIMIT, Facets
from domain.search.service import PreparedSearch
from domain.shared.money import Money as DomainMoney
from domain.shared.pagination import Page


@strawberry.type(description="How many results are in a category (one level below the category filter).")
class CategoryFacet:
    category: Category = strawberry.field(description="The category.")
    count: int = strawberry.field(description="Matching products in it and its subcategories.")


@strawberry.type(description="How many results a brand has.")
class BrandFacet:
    brand: Brand = strawberry.field(description="The brand.")
    count: int = strawberry.field(description="Matching products of the brand.")


@strawberry.type(description="How many results have their featured offer's price (`featuredOffer.price`) in a band; products without a featured offer are in no band.")
class PriceBandFacet:
    min: Money = strawberry.field(description="Lower bound, inclusive.")
    max: Money | None = strawberry.field(description="Upper bound, exclusive; null for the top band.")
    count: int = strawberry.field(description="Matching products in the band.")


@strawberry.type(description="How many results are of a kind.")
class KindFacet:
    kind: ProductKind = strawberry.field(description="The kind.")
    count: int = strawberry.field(description="Matching products of the kind.")


@strawberry.type(description="How many results are in a format.")
class FormatFacet:
    format: ProductFormat = strawberry.field(description="The format.")
    count: int = strawberry.field(description="Matching products in the format.")


@strawberry.type(description="How many results have an average rating of at least some stars (\"4 stars & up\"): the same one-decimal average as `Product.averageRating`, the RATING sort and the `minRating` filter, from the reviews' rating summaries.")
class RatingFacet:
    min_rating: int = strawberry.field(description="The threshold: 4, 3, 2 or 1 stars & up (pass it as `filter.minRating`).")
    count: int = strawberry.field(description="Matching products whose average is at least that; products without reviews are in none.")


@strawberry.type(description="Counts over the whole result set, to build filters with counts beside them.")
class SearchFacets:
    categories: list[CategoryFacet] = strawberry.field(description="Child categories of the category filter (top-level ones without it), most results first.")
    brands: list[BrandFacet] = strawberry.field(description="The 20 brands with the most results.")
    price_bands: list[PriceBandFacet] = strawberry.field(description="Price bands with at least one result, cheapest first.")
    kinds: list[KindFacet] = strawberry.field(description="Kinds with at least one result.")
    formats: list[FormatFacet] = strawberry.field(description="Formats with at least one result.")
    in_stock: int = strawberry.field(description="Results with an in-stock offer.")
    out_of_stock: int = strawberry.field(description="Results with no in-stock offer.")
    prime_eligible: int = strawberry.field(description="Results with an in-stock Prime offer.")
    ratings: list[RatingFacet] = strawberry.field(description="Results by average rating: 4 stars & up, 3 & up, 2 & up, 1 & up, in that order (cumulative, so a product counts in each threshold it reaches). Ignores the `minRating` filter, so the other thresholds stay visible.")


async def load_facets(info: Info, prepared: PreparedSearch) -> Facets | None:
    """The result's counts and facets when the selection asks for them (None otherwise), and the
    categories and brands its facets name, loaded by level before the fields resolve: they then
    complete at once, where the counts were a task of their own and the facets' values two more."""
    if not selects(info, ("totalCount",), ("totalCountIsExact",), ("facets",)):
        return None
    facets = await search.facets(info.context.reader, prepared)
    loaders = info.context.loaders
    if facets.categories and selects(info, ("facets", "categories")):
        await load_batch(loaders.category_by_id, [int(v.value) for v in facets.categories])
    if facets.brands and selects(info, ("facets", "brands")):
        await load_batch(loaders.brand_by_id, [int(v.value) for v in facets.brands])
    return facets


async def _values(found: list | Any) -> list:
    return found if isinstance(found, list) else await found


async def _facets_type(info: Info, facets: Facets) -> SearchFacets:
    loaders = info.context.loaders
    # At once when loaded with the page (`load_facets`); otherwise both loads go out together.
    categories = loaded_all(loaders.category_by_id, [int(v.value) for v in facets.categories])
    brands = loaded_all(loaders.brand_by_id, [int(v.value) for v in facets.brands])
    if not isinstance(categories, list) or not isinstance(brands, list):
        categories, brands = await asyncio.gather(_values(categories), _values(brands))
    return SearchFacets(
        categories=[CategoryFacet(category=c, count=v.count)
                    for c, v in zip(categories, facets.categories) if c is not None],
        brands=[BrandFacet(brand=b, count=v.count) for b, v in zip(brands, facets.brands) if b is not None],
        price_bands=[PriceBandFacet(min=DomainMoney(b.min_minor),
                                    max=DomainMoney(b.max_minor) if b.max_minor is not None else None,
                                    count=b.count) for b in facets.price_bands],
        kinds=[KindFacet(kind=ProductKind(v.value), count=v.count) for v in facets.kinds],
        formats=[FormatFacet(format=ProductFormat(v.value), count=v.count) for v in facets.formats],
        in_stock=facets.in_stock,
        out_of_stock=facets.out_of_stock,
        prime_eligible=facets.prime_eligible,
        ratings=[RatingFacet(min_rating=int(v.value), count=v.count) for v in facets.ratings],
    )


@strawberry.type(description="One search result: a product, and the work's other formats when formats are grouped.")
class ProductSearchResult:
    product: Product = strawberry.field(description="The product found: the best matching format of its work.")
    work_id: strawberry.Private[int | None] = None

    @strawberry.field(description="The work's other live formats (hardcover, paperback, Kindle edition...), whether or not they match the filters; empty when formats are not grouped or the product has no work.")
    async def other_formats(self, info: Info) -> list[Product]:
        if self.work_id is None:
            return []
        formats = await info.context.loaders.products_by_work_id.load(self.work_id)
        return [p for p in formats if p.id != self.product.id]


@strawberry.type(description="A page of search results (a product connection) with facets.")
class ProductSearchConnection:
    edges: list[Edge[Product]] = strawberry.field(resolver=page_edges,
                                                  description="The products with their cursors, best first.")
    nodes: list[Product] = strawberry.field(description="The products alone.")
    results: list[ProductSearchResult] = strawberry.field(description="The products with the other formats of their works, in the same order as `nodes`.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages exist.")
    corrected_query: str | None = strawberry.field(description="The words actually searched, lower-cased, when the query as typed found nothing and another spelling did (typos forgiven by word length: \"hungr games\" -> \"hunger games\"); null when the query was searched as typed (always with `exact: true`).")
    prepared: strawberry.Private[PreparedSearch] = None
    page: strawberry.Private[Page] = None
    # The counts and facets, loaded with the page whenever the selection asks for any of them
    # (`load_facets`): totalCount and facets come from one statement.
    loaded_facets: strawberry.Private[Facets | None] = None

    async def _facets(self, info: Info) -> Facets:
        if self.loaded_facets is None:
            self.loaded_facets = await search.facets(info.context.reader, self.prepared)
        return self.loaded_facets

    @strawberry.field(description=f"Number of results: works when formats are grouped (see `search(groupFormats:)`), products otherwise; counted among the first {COUNT_LIMIT:,} matching products (see totalCountIsExact).")
    async def total_count(self, info: Info) -> int:
        return (await self._facets(info)).total

    @strawberry.field(description=f"False when more than {COUNT_LIMIT:,} products match the query and category: totalCount and every facet count then count only among the first {COUNT_LIMIT:,} of them (the most popular first), lower bounds to show as \"over ...\", as a store does for a common word. True when they are exact.")
    async def total_count_is_exact(self, info: Info) -> bool:
        return (await self._facets(info)).exact

    @strawberry.field(description="Counts by category, brand, price band, kind, format, availability, Prime and rating. Category counts follow every filter; each other facet ignores its own filter, so a client can show the alternatives to the value chosen (with formats: [KINDLE], the format facet still counts hardcovers).")
    async def facets(self, info: Info) -> SearchFacets:
        return await _facets_type(info, await self._facets(info))


SearchSuggestionKind = graphql_enum(
    search_statuses.SearchSuggestionKind,
    description="What a search-box suggestion stands for: PRODUCT (a title; `product` is its most popular format), AUTHOR (a name in products' bylines), BRAND (`brand` is set), CATEGORY (`category` is set).",
)


@strawberry.type(description="A suggestion for the search box: a title, an author, a brand or a category completing what was typed.")
class SearchSuggestion:
    text: str = strawberry.field(description="Text to show and to search for: the title, the author's name, the brand's or the category's name. Each text appears once in a list.")
    kind: SearchSuggestionKind = strawberry.field(description="What the suggestion stands for; it says which of `product`, `brand` and `category` is set (none for an author).")
    product: Annotated[Product, strawberry.lazy("api.catalogue.types")] | None = strawberry.field(description="For a PRODUCT suggestion, the product to link straight to (the most popular format of the title); null for other kinds.")
    brand: Annotated[Brand, strawberry.lazy("api.catalogue.types")] | None = strawberry.field(default=None, description="For a BRAND suggestion, the brand (to open its page or filter by it); null for other kinds.")
    category: Annotated[Category, strawberry.lazy("api.catalogue.types")] | None = strawberry.field(default=None, description="For a CATEGORY suggestion, the category (to browse it or filter by it); null for other kinds.")
