"""Marketplace use cases (reads). Offers of suspended sellers and archived offers are
never shown; only sellers in good standing can hold the featured offer."""
from __future__ import annotations

from domain.marketplace import repository
from domain.marketplace.entities import Seller
from domain.shared.db import Reader
from domain.shared.lookup import exactly_one

sellers_by_ids = repository.sellers_by_ids
offers_by_ids = repository.offers_by_ids
offer_summaries = repository.offer_summaries
offers_for_products = repository.offers_for_products
offers_for_sellers = repository.offers_for_sellers


async def find_seller(reader: Reader, *, id: int | None = None, slug: str | None = None) -> Seller | None:
    """A seller by exactly one of id or slug; suspended sellers remain visible by name."""
    key, value = exactly_one(id=id, slug=slug)
    if key == "id":
        return (await repository.sellers_by_ids(reader, [value])).get(value)
    return (await repository.sellers_by_slugs(reader, [value])).get(value)
