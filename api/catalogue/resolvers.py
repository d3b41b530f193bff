"""Resolvers of a product's offer summary (featured offer, price range), shared by the product
type and by every list of products that loads the summaries of its page up front."""
from strawberry.types import Info

from api.core.dataloaders import load_batch
from api.core.lookahead import selects
from api.marketplace.types import PurchaseOption


def from_offer_summary(info: Info, product_id: int, option: PurchaseOption, pick):
    """A part of the product's offer summary for one purchase option: at once when a list
    already loaded it (see `prime_offer_summaries`), else once the loader's batch arrives.
    One batch holds every purchase option, so asking for BUY and RENT costs one statement."""
    future = info.context.loaders.offer_summary_by_product_id.load(product_id)
    if future.done():
        return _pick(future.result(), option, pick)
    return _picked(future, option, pick)


def _pick(summaries: dict | None, option: PurchaseOption, pick):
    summary = (summaries or {}).get(PurchaseOption(option).value)
    return pick(summary) if summary else None


async def _picked(future, option: PurchaseOption, pick):
    return _pick(await future, option, pick)


async def prime_offer_summaries(info: Info, products: list, *item_paths: tuple[str, ...]) -> None:
    """Load the offer summaries of a page of products up front when its items ask for them."""
    wanted = [(*path, field) for path in item_paths for field in ("featuredOffer", "priceRange")]
    if products and selects(info, *wanted):
        await load_batch(info.context.loaders.offer_summary_by_product_id, [p.id for p in products])
