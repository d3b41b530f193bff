"""The floor: the benchmark's pages served without GraphQL.

Each endpoint calls the same domain functions the GraphQL resolvers and loaders call, so it
sends the same SQL statements, and builds the same JSON `data` by hand. What is left is the
cost of the database, asyncpg, the domain code and a plain Starlette endpoint: the GraphQL
server cannot be faster than this on the same pages. A signed-in customer's page (the library)
checks the request's bearer token with the domain function the GraphQL context calls, so both
sides pay for it. Run it like the real server:

    uvicorn bench.floor:app --loop asyncio --http httptools
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api import garbage_collector
from api.core import ids
from api.core.pagination import encode_cursor
from api.core.scalars import serialize_datetime
from domain.catalogue import service as catalogue
from domain.catalogue.entities import Category, Product
from domain.identity import service as identity
from domain.licences import service as licences
from domain.marketplace import service as marketplace
from domain.marketplace.entities import Offer, OfferSummary, PriceRange, Seller
from domain.questions import service as questions
from domain.reviews import service as reviews
from domain.search import service as search
from domain.search.entities import ProductFilter, SearchSpec
from domain.shared.config import Settings, get_settings
from domain.shared.database_url import resolve_url
from domain.shared.db import Database, Reader
from domain.shared.errors import Unauthenticated
from domain.shared.money import Money
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal

Json = dict[str, Any]


def _decimal(value: Decimal | None) -> str | None:
    # GraphQL's Decimal scalar is a string on the wire.
    return None if value is None else str(value)


def _money(money: Money) -> Json:
    return {"amount": str(money.amount), "currencyCode": money.currency}


def _page_info(page: Page) -> Json:
    n = len(page.items)
    return {"hasNextPage": page.has_next,
            "endCursor": encode_cursor(page.offset + n - 1) if n else None}


def _seller(seller: Seller) -> Json:
    return {"id": ids.encode("Seller", seller.id), "name": seller.name, "slug": seller.slug,
            "rating": _decimal(seller.rating)}


def _attribute(name: str, value: object) -> Json:
    # bool before int: bool is an int in Python.
    if isinstance(value, bool):
        text, kind = ("true" if value else "false"), "BOOLEAN"
    elif isinstance(value, int | float):
        text, kind = str(value), "NUMBER"
    elif isinstance(value, list):
        text, kind = json.dumps(value), "LIST"
    else:
        text, kind = str(value), "STRING"
    return {"name": name, "value": text, "type": kind}


def _category_ref(category: Category) -> Json:
    return {"id": ids.encode("Category", category.id), "name": category.name, "slug": category.slug}


def _featured(summary: OfferSummary | None) -> Offer | None:
    return summary.featured if summary else None


def _price_only(offer: Offer | None) -> Json | None:
    return {"price": _money(offer.price)} if offer else None


async def product_page(reader: Reader, slug: str, offers: int) -> Json:
    """PRODUCT_PAGE: product, category with ancestors, formats, buy boxes, offers page."""
    product = await catalogue.find_product(reader, slug=slug)
    if product is None:
        return {"product": None}
    return {"product": await _product_fields(reader, product, offers)}


async def product_page_with_reviews(reader: Reader, slug: str, offers: int) -> Json:
    """PRODUCT_PAGE_WITH_REVIEWS: the product page, then its work's rating summary and first
    page of reviews (most helpful first), as the reviews loaders fetch them, then its first five
    questions with their top answers (one statement, as the questions loader reads them)."""
    product = await catalogue.find_product(reader, slug=slug)
    if product is None:
        return {"product": None}
    fields = await _product_fields(reader, product, offers)
    if product.work_id is None:
        # Merchandise: an empty summary and no reviews, without asking the database.
        return {"product": {**fields, "ratingSummary": _rating_summary(reviews.RatingSummary(0)),
                            "reviews": {"nodes": []}, "questions": await _questions(reader, product.id)}}
    summary = (await reviews.summaries_by_work_ids(reader, [product.work_id]))[product.work_id]
    listing = reviews.ReviewListing(reviews.ReviewSortKey.MOST_HELPFUL, reviews.ReviewFilter(), 0, 10)
    page = (await reviews.pages_for_works(reader, [product.work_id], listing))[product.work_id]
    return {"product": {**fields, "ratingSummary": _rating_summary(summary), "reviews": {"nodes": [{
        "id": ids.encode("Review", r.id), "stars": r.stars, "title": r.title, "text": r.body,
        "authorName": r.author_name, "verifiedPurchase": r.verified_purchase, "helpfulVotes": r.helpful_votes,
        "createdAt": serialize_datetime(r.created_at)} for r in page.items]},
        "questions": await _questions(reader, product.id)}}


async def _questions(reader: Reader, product_id: int) -> Json:
    listing = questions.QuestionListing(questions.QuestionSortKey.MOST_ANSWERED, 0, 5)
    page = (await questions.published_pages(reader, [product_id], listing))[product_id]

    def answer(a) -> Json | None:
        return None if a is None else {"id": ids.encode("Answer", a.id), "text": a.body, "answeredBy": a.answerer,
                                       "authorName": a.author_name, "helpfulVotes": a.helpful_votes}
    return {"nodes": [{"id": ids.encode("Question", q.id), "text": q.body, "authorName": q.author_name,
                       "answerCount": q.answer_count, "topAnswer": answer(q.top_answer)} for q in page.items]}


def _rating_summary(summary: reviews.RatingSummary) -> Json:
    percentages = summary.percentages()
    return {"average": _decimal(summary.average), "count": summary.count, "histogram": [
        {"stars": s, "count": summary.histogram[s - 1], "percentage": percentages[s - 1]} for s in (5, 4, 3, 2, 1)]}


async def _product_fields(reader: Reader, product: Product, offers: int) -> Json:
    categories = await catalogue.categories_with_ancestors(reader, [product.category_id])
    formats: list[Product] = [product]
    if product.work_id is not None:
        formats = (await catalogue.products_by_work_ids(reader, [product.work_id])).get(
            product.work_id) or [product]
    # One statement for the product's buy box and its formats', as the product page loads them.
    summaries = await marketplace.offer_summaries(reader, list(dict.fromkeys([product.id, *(f.id for f in formats)])))
    page = (await marketplace.offers_for_products(reader, [product.id], None,
                                                  PageRequest(0, offers)))[product.id]
    category = categories[product.category_id]
    summary = summaries.get(product.id)
    featured = _featured(summary)
    return {
        "id": ids.encode("Product", product.id), "title": product.title, "slug": product.slug,
        "kind": product.kind, "format": product.format, "isbn": product.isbn,
        "authors": product.authors,
        "releaseDate": product.release_date.isoformat() if product.release_date else None,
        "isPreorder": product.is_preorder, "averageRating": _decimal(product.average_rating),
        "ratingsCount": product.ratings_count,
        "images": [{"url": i["url"], "altText": i.get("altText")} for i in product.images],
        "attributes": [_attribute(k, v) for k, v in product.attributes.items()],
        "category": {**_category_ref(category), "ancestors": [
            _category_ref(categories[a]) for a in category.ancestor_ids if a in categories]},
        "formats": [{"id": ids.encode("Product", f.id), "format": f.format, "kind": f.kind,
                     "slug": f.slug, "featuredOffer": _price_only(_featured(summaries.get(f.id)))}
                    for f in formats],
        "featuredOffer": featured and {
            "id": ids.encode("Offer", featured.id), "condition": featured.condition,
            "fulfilment": featured.fulfilment, "primeEligible": featured.prime_eligible,
            "inStock": featured.in_stock, "price": _money(featured.price),
            "landedPrice": _money(featured.landed_price), "seller": _seller(featured.seller)},
        "priceRange": summary and {"min": _money(summary.min_price), "max": _money(summary.max_price),
                                   "offerCount": summary.offer_count},
        "offers": {"totalCount": page.total, "pageInfo": _page_info(page), "nodes": [{
            "id": ids.encode("Offer", o.id), "condition": o.condition, "fulfilment": o.fulfilment,
            "primeEligible": o.prime_eligible, "quantityAvailable": o.quantity,
            "price": _money(o.price), "landedPrice": _money(o.landed_price),
            "seller": _seller(o.seller)} for o in page.items]},
    }


async def search_page(reader: Reader, query: str, first: int) -> Json:
    """SEARCH_PAGE: spelling, the page's products (its ids and products in one statement), facets, buy
    boxes, facet categories/brands."""
    prepared = await search.prepare(reader, SearchSpec(query=query, filter=ProductFilter(),
                                                       sort_key="RELEVANCE"))
    page = await search.find_products(reader, prepared, PageRequest(0, first))
    facets = await search.facets(reader, prepared)
    summaries = (await marketplace.offer_summaries(reader, [p.id for p in page.items])
                 if page.items else {})
    category_ids = [int(v.value) for v in facets.categories]
    brand_ids = [int(v.value) for v in facets.brands]
    # The loaders send nothing for an empty list of keys.
    categories = await catalogue.categories_with_ancestors(reader, category_ids) if category_ids else {}
    brands = await catalogue.brands_by_ids(reader, brand_ids) if brand_ids else {}

    def node(p: Product) -> Json:
        offer = _featured(summaries.get(p.id))
        return {"id": ids.encode("Product", p.id), "title": p.title, "slug": p.slug,
                "format": p.format, "kind": p.kind, "averageRating": _decimal(p.average_rating),
                "images": [{"url": i["url"]} for i in p.images],
                "featuredOffer": offer and {
                    "price": _money(offer.price), "primeEligible": offer.prime_eligible,
                    "seller": {"id": ids.encode("Seller", offer.seller.id), "name": offer.seller.name}}}

    return {"search": {
        "totalCount": facets.total, "correctedQuery": prepared.query.corrected,
        "pageInfo": _page_info(page), "nodes": [node(p) for p in page.items],
        "facets": {
            "categories": [{"category": {"id": ids.encode("Category", c.id), "name": c.name},
                            "count": v.count}
                           for v, c in ((v, categories.get(int(v.value))) for v in facets.categories) if c],
            "brands": [{"brand": {"id": ids.encode("Brand", b.id), "name": b.name}, "count": v.count}
                       for v, b in ((v, brands.get(int(v.value))) for v in facets.brands) if b],
            "priceBands": [{"min": {"amount": str(Money(b.min_minor).amount)},
                            "max": {"amount": str(Money(b.max_minor).amount)} if b.max_minor is not None else None,
                            "count": b.count} for b in facets.price_bands],
            "kinds": [{"kind": v.value, "count": v.count} for v in facets.kinds],
            "formats": [{"format": v.value, "count": v.count} for v in facets.formats],
            "inStock": facets.in_stock, "outOfStock": facets.out_of_stock,
            "primeEligible": facets.prime_eligible,
        },
    }}


async def category_browse(reader: Reader, slug: str, first: int) -> Json:
    """CATEGORY_BROWSE: category, category filter, the page's products (ids and products in one), buy boxes."""
    category = await catalogue.find_category(reader, slug=slug)
    if category is None:
        return {"category": None}
    spec = SearchSpec(query=None, filter=ProductFilter(category_id=category.id), sort_key="POPULARITY")
    prepared = await search.prepare(reader, spec)
    page = await search.find_products(reader, prepared, PageRequest(0, first))
    summaries = (await marketplace.offer_summaries(reader, [p.id for p in page.items])
                 if page.items else {})
    return {"category": {
        "id": ids.encode("Category", category.id), "name": category.name,
        "products": {"pageInfo": _page_info(page), "nodes": [
            {"id": ids.encode("Product", p.id), "title": p.title, "slug": p.slug,
             "featuredOffer": _price_only(_featured(summaries.get(p.id)))} for p in page.items]},
    }}


async def product_listing(reader: Reader, first: int) -> Json:
    """PRODUCT_LISTING: the page's products (ids and products in one statement), price ranges, categories."""
    spec = SearchSpec(query=None, filter=ProductFilter(), sort_key="POPULARITY")
    prepared = await search.prepare(reader, spec)
    page = await search.find_products(reader, prepared, PageRequest(0, first))
    # Price ranges alone, as the GraphQL listing loads them when its items ask for no featured offer.
    ranges = (await marketplace.price_ranges_by_option(reader, [p.id for p in page.items], ("BUY",))
              if page.items else {})
    categories = (await catalogue.categories_with_ancestors(reader, list({p.category_id for p in page.items}))
                  if page.items else {})

    def price_range(by_option: dict[str, PriceRange] | None) -> Json | None:
        summary = by_option.get("BUY") if by_option else None
        if summary is None:
            return None
        return {"min": _money(summary.min_price), "max": _money(summary.max_price),
                "offerCount": summary.offer_count}

    return {"products": {"pageInfo": _page_info(page), "nodes": [
        {"id": ids.encode("Product", p.id), "title": p.title, "description": p.description,
         "category": {"id": ids.encode("Category", p.category_id), "name": categories[p.category_id].name},
         "priceRange": price_range(ranges.get(p.id)),
         "images": [{"url": i["url"], "altText": i.get("altText")} for i in p.images]}
        for p in page.items]}}


async def library_page(reader: Reader, principal: Principal, first: int) -> Json:
    """LIBRARY_PAGE: the signed-in customer's licences with their titles (one statement, the
    total counted in it)."""
    page = await licences.my_library(reader, principal, None, PageRequest(0, first))
    return {"library": {"totalCount": page.total, "pageInfo": _page_info(page), "nodes": [{
        "id": ids.encode("Licence", licence.id), "kind": licence.kind, "status": licence.status,
        "title": licence.title, "authors": licence.authors, "coverImageUrl": licence.cover_image_url,
        "format": licence.format, "productKind": licence.product_kind, "deviceLimit": licence.device_limit,
        "createdAt": serialize_datetime(licence.created_at)} for licence in page.items]}}


async def typename(reader: Reader) -> Json:
    """TYPENAME: nothing to read."""
    return {"__typename": "Query"}


PageBuilder = Callable[..., Awaitable[Json]]
PAGES: dict[str, PageBuilder] = {"product": product_page, "product-reviews": product_page_with_reviews,
                                  "search": search_page, "category": category_browse,
                                  "listing": product_listing, "typename": typename}
# Pages of the signed-in customer: each is given the caller its request's bearer token speaks for.
SIGNED_IN_PAGES: dict[str, PageBuilder] = {"library": library_page}
# The trivial HTTP floor: a route that reads nothing and returns fixed small JSON, what the web
# stack alone costs on this server.
FIXED = orjson.dumps({"data": {"ok": True}})


async def caller(reader: Reader, settings: Settings, authorization: str) -> Principal:
    """The customer an `Authorization: Bearer <token>` value speaks for, checked as the GraphQL
    context checks it (`api/context.py`): the token's signature, then its session is live (one
    statement), with the same domain function. A bad, expired or revoked token is Unauthenticated."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Send the access token as `Authorization: Bearer <token>`.")
    return await identity.principal_for_token(reader, settings, token.strip())


async def serve(reader: Reader, settings: Settings, name: str, variables: Json, authorization: str) -> Json:
    """The `data` of page `name`, what its route answers (the run counts its statements here)."""
    signed_in = SIGNED_IN_PAGES.get(name)
    if signed_in is not None:
        return await signed_in(reader, await caller(reader, settings, authorization), **variables)
    return await PAGES[name](reader, **variables)


def create_app(settings: Settings | None = None) -> Starlette:
    """POST /<page> with the GraphQL document's variables as the JSON body. Configured by the
    environment, as the GraphQL server is, unless given its settings (`bench/in_process.py` runs
    it in the benchmark's own process)."""
    databases: list[Database] = []  # connected at startup, so importing this module is free
    configured: list[Settings] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        current = settings or get_settings()
        configured.append(current)
        databases.append(Database(resolve_url(current), current.pool_size))
        await databases[0].read_pool()
        garbage_collector.settle()  # as the GraphQL server does once started
        yield
        await databases.pop().close()
        configured.pop()

    async def healthz(request: Request) -> Response:
        return Response('{"status": "ok"}', media_type="application/json")

    async def fixed(request: Request) -> Response:
        return Response(FIXED, media_type="application/json")

    def endpoint(name: str) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            variables = await request.json()
            reader = await databases[0].reader()
            try:
                data = await serve(reader, configured[0], name, variables, request.headers.get("authorization", ""))
            except Unauthenticated as error:
                # A refused token is a failed request, which the load generators count.
                return Response(orjson.dumps({"errors": [{"message": str(error)}]}), status_code=401,
                                media_type="application/json")
            finally:
                await reader.close()
            # The server encodes with orjson too: the same cost on both sides.
            return Response(orjson.dumps({"data": data}), media_type="application/json")
        return handle

    routes = [Route(f"/{name}", endpoint(name), methods=["POST"]) for name in [*PAGES, *SIGNED_IN_PAGES]]
    routes.append(Route("/healthz", healthz))
    routes.append(Route("/fixed", fixed, methods=["GET", "POST"]))
    return Starlette(routes=routes, lifespan=lifespan)


app = create_app()
