"""Recommendation types and the resolvers the product and viewer fields call."""
from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.core.arguments import PAGE_SIZE, PageSize
from api.core.enums import graphql_enum
from api.core.pagination import Connection, check_page_size, connection, page_request
from domain.recommendations import service as recommendations
from domain.recommendations.statuses import RecommendationReasonKind as ReasonKindEntity
from domain.shared.pagination import Page

if TYPE_CHECKING:
    from api.catalogue.types import Product

ProductRef = Annotated["Product", strawberry.lazy("api.catalogue.types")]
RELATED_DEFAULT, RELATED_MAX = 10, 50

RecommendationReasonKind = graphql_enum(ReasonKindEntity, description="Why a product is recommended: BOUGHT (because you bought `reason.product`), RATED (because you rated it), VIEWED (because you looked at it recently: your browsing history, unless paused) or POPULAR (popular with customers; you have no history yet, or the personal recommendations ran out).")

RelatedFirst = Annotated[int, strawberry.argument(description=f"How many related products: 1-{RELATED_MAX} (default {RELATED_DEFAULT}).", metadata={PAGE_SIZE: PageSize(maximum=RELATED_MAX, default=RELATED_DEFAULT)})]


@strawberry.type(description="Why a product is recommended to you, for the UI (\"Because you bought X\").")
class RecommendationReason:
    kind: RecommendationReasonKind = strawberry.field(description="What you did with `product`, or POPULAR.")
    product_id: strawberry.Private[int | None]

    @strawberry.field(description="The product of yours that contributed most to this recommendation (one you bought, rated or recently viewed); null for POPULAR.")
    async def product(self, info: Info) -> ProductRef | None:
        if self.product_id is None:
            return None
        return await info.context.loaders.product_by_id.load(self.product_id)


@strawberry.type(description="A product recommended to the signed-in customer, with the reason.")
class Recommendation:
    product_id: strawberry.Private[int]
    score: float = strawberry.field(description="How strongly it is recommended (higher first; comparable only within one list).")
    reason: RecommendationReason = strawberry.field(description="Why it is recommended.")

    @strawberry.field(description="The recommended product: a format you can buy now (in stock, not archived).")
    async def product(self, info: Info) -> ProductRef:
        return await info.context.loaders.product_by_id.load(self.product_id)


async def related_products(info: Info, loader: str, product_id: int, first: int) -> list:
    check_page_size("first", first, RELATED_MAX)
    neighbours = await getattr(info.context.loaders, loader).load((product_id, first)) or []
    products = await info.context.loaders.product_by_id.load_many([n.related_product_id for n in neighbours])
    return [p for p in products if p is not None]


async def recommended_for_you(info: Info, first: int | None, after: str | None) -> Connection[Recommendation] | None:
    principal = await info.context.viewer()
    if principal.account_id is None:
        return None
    request = page_request(first, after)
    rows = await recommendations.recommended_for(info.context.reader, principal.account_id, request.limit + 1,
                                                 request.offset)
    items = [Recommendation(product_id=r.product_id, score=round(r.score, 6), reason=RecommendationReason(
        kind=RecommendationReasonKind(r.because or "POPULAR"), product_id=r.because_product_id))
        for r in rows[:request.limit]]

    async def count() -> int:
        # Bounded: at most K related items per recent item, and the kept popular ones.
        return len(await recommendations.recommended_for(info.context.reader, principal.account_id, 10_000, 0))

    return connection(Page(items, request.offset, len(rows) > request.limit), count)
