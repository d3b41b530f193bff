"""Search-box suggestions with the products, brands and categories they stand for."""
from __future__ import annotations

import asyncio

from strawberry.types import Info

from api.search.types import SearchSuggestion, SearchSuggestionKind
from domain.search.statuses import SearchSuggestionKind as Kind
from domain.search.suggestions import Suggestion


async def suggestion_types(info: Info, found: list[Suggestion]) -> list[SearchSuggestion]:
    """The suggestions with their objects (one batch per kind); one whose object has gone since
    the dictionary was refreshed is left out."""
    loaders = info.context.loaders

    def refs(kind: Kind) -> list[int]:
        return [s.ref_id for s in found if s.kind == kind]

    products, brands, categories = await asyncio.gather(
        loaders.product_by_id.load_many(refs(Kind.PRODUCT)),
        loaders.brand_by_id.load_many(refs(Kind.BRAND)),
        loaders.category_by_id.load_many(refs(Kind.CATEGORY)),
    )
    objects = {
        Kind.PRODUCT: dict(zip(refs(Kind.PRODUCT), products)),
        Kind.BRAND: dict(zip(refs(Kind.BRAND), brands)),
        Kind.CATEGORY: dict(zip(refs(Kind.CATEGORY), categories)),
    }
    result = []
    for s in found:
        target = objects[s.kind].get(s.ref_id) if s.kind != Kind.AUTHOR else None
        if s.kind != Kind.AUTHOR and target is None:
            continue
        result.append(SearchSuggestion(
            text=s.text, kind=SearchSuggestionKind(s.kind.value),
            product=target if s.kind == Kind.PRODUCT else None,
            brand=target if s.kind == Kind.BRAND else None,
            category=target if s.kind == Kind.CATEGORY else None,
        ))
    return result
