"""Recommendation loaders: related products per product, keyed (product id, how many), so a page
of products asking for the same number costs one statement."""
from api.core.dataloaders import grouped
from domain.recommendations import service as recommendations


def _neighbours(fetch):
    async def load(reader, product_ids: list[int], first: int) -> dict:
        return await fetch(reader, product_ids, first)

    return lambda r, *_: grouped(r, load)


FACTORIES = {
    "also_bought_by_product_id": _neighbours(recommendations.also_bought),
    "bought_together_by_product_id": _neighbours(recommendations.bought_together),
}
