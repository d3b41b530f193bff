"""Resolvers of a product's offer summary (featured offer, price range), shared by the product
type and by every list of products that loads its page's relations up front."""
import asyncio
import functools
from operator import attrgetter
from typing import NamedTuple

from graphql import GraphQLError
from strawberry.types import Info

from api.core.compiled.arguments import VariableArguments
from api.core.dataloaders import load_batch, loaded
from api.core.lookahead import arguments_of, child_arguments, per_document, selects
from api.marketplace.resolvers import product_offers_key
from api.marketplace.types import PurchaseOption
from api.questions.types import product_questions_listing
from api.reviews.types import product_reviews_listing


def price_range_of(loaders, product_id: int, option: PurchaseOption):
    """The product's price range for one purchase option: from its offer summary when that is
    loaded or asked for (one statement holds the featured offer too), else from the price ranges a
    list of products loaded by level when its items ask for no featured offer (the same range:
    `domain.marketplace.repository.price_ranges_by_option`)."""
    summaries = loaders.offer_summary_by_product_id.values.get(product_id, _MISSING)
    if summaries is _MISSING:
        summaries = loaders.price_ranges_by_product_id.values.get(product_id, _MISSING)
        if summaries is _MISSING:
            return from_offer_summary(loaders, product_id, option, None)
    # `_pick(summaries, option, None)` written out: this runs once per product of a list.
    if not summaries:
        return None
    return summaries.get(_KEYS[option] if option.__class__ is PurchaseOption else PurchaseOption(option).value) or None


def featured_offer_of(loaders, product_id: int, option: PurchaseOption):
    """The product's featured offer for one purchase option, from its offer summary: at once when
    a list loaded the summaries by level (`_pick` written out, as in `price_range_of`: this runs
    once per product of a list), else as `from_offer_summary` answers it."""
    summaries = loaders.offer_summary_by_product_id.values.get(product_id, _MISSING)
    if summaries is _MISSING:
        return from_offer_summary(loaders, product_id, option, _featured)
    if not summaries:
        return None
    summary = summaries.get(_KEYS[option] if option.__class__ is PurchaseOption else PurchaseOption(option).value)
    return summary.featured if summary else None


def from_offer_summary(loaders, product_id: int, option: PurchaseOption, pick):
    """A part of the product's offer summary for one purchase option: at once when a list
    already loaded it (see `load_product_relations`), else once the loader's batch arrives.
    One batch holds every purchase option, so asking for BUY and RENT costs one statement.
    Given the request's loaders, not the info, so its callers read nothing of the info but
    the context (`api/core/compiled/direct.py`)."""
    loader = loaders.offer_summary_by_product_id
    summaries = loader.values.get(product_id, _MISSING)  # `loaded`'s answer when it holds it
    if summaries is _MISSING:
        summaries = loaded(loader, product_id)
        if isinstance(summaries, asyncio.Future):
            return _picked(summaries, option, pick)
    return _pick(summaries, option, pick)


# An enum member's `.value` goes through a descriptor: per product of a page, a dict is cheaper.
_KEYS = {option: option.value for option in PurchaseOption}
_MISSING = object()
# A summary's featured offer (the buy box), read without a function made per product.
_featured = attrgetter("featured")


def _pick(summaries: dict | None, option: PurchaseOption, pick):
    """`pick(summary)` of the option's summary (the summary itself when `pick` is None)."""
    key = _KEYS[option] if type(option) is PurchaseOption else PurchaseOption(option).value
    summary = summaries.get(key) if summaries else None
    if not summary:
        return None
    return summary if pick is None else pick(summary)


async def _picked(future, option: PurchaseOption, pick):
    return _pick(await future, option, pick)


async def load_product_relations(info: Info, products: list, *item_paths: tuple[str, ...]) -> None:
    """Load what the items of a page of products ask for, by level: their offer summaries
    (featured offer, price range) and their categories, one batch each, so every item's field
    completes from the loader's cache at once."""
    if not products:
        return
    loaders = info.context.loaders
    wanted = per_document(info, _relations_selection(item_paths))
    if wanted.offer_summaries:
        await load_batch(loaders.offer_summary_by_product_id, [p.id for p in products])
    elif wanted.price_ranges:
        await load_batch(loaders.price_ranges_by_product_id, [p.id for p in products])
    if wanted.category:
        await load_batch(loaders.category_by_id, [p.category_id for p in products])


class _RelationsSelection(NamedTuple):
    """What the items of a page of products ask for of their relations (the same for every
    request of a document)."""

    offer_summaries: bool  # a featured offer (with or without the price range)
    price_ranges: bool  # price ranges alone: loaded without the featured offers
    category: bool


@functools.cache
def _relations_selection(item_paths: tuple[tuple[str, ...], ...]):
    """The work-out of `_RelationsSelection` for items at `item_paths` (one function per paths,
    so that `per_document` keeps its answer by field)."""
    def work_out(info: Info) -> _RelationsSelection:
        return _RelationsSelection(selects(info, *[(*path, "featuredOffer") for path in item_paths]),
                                   selects(info, *[(*path, "priceRange") for path in item_paths]),
                                   selects(info, *[(*path, "category") for path in item_paths]))
    return work_out


class _PageSelection(NamedTuple):
    """What a single product's selection asks for below it (the same for every request of a
    document): relations to load, and the readers of its pages' arguments."""

    category: bool
    brand: bool
    rating_summary: bool
    own_summary: bool  # the product's featured offer or price range
    formats: bool
    format_summaries: bool
    offers: VariableArguments | None
    reviews: VariableArguments | None
    questions: VariableArguments | None


def _page_selection(info: Info) -> _PageSelection:
    return _PageSelection(
        selects(info, ("category",)), selects(info, ("brand",)), selects(info, ("ratingSummary",)),
        selects(info, ("featuredOffer",), ("priceRange",)), selects(info, ("formats",)),
        selects(info, ("formats", "featuredOffer"), ("formats", "priceRange")),
        child_arguments(info, "offers"), child_arguments(info, "reviews"), child_arguments(info, "questions"))


async def load_product_page(info: Info, product) -> None:
    """Load by level what a single product's fields ask for, before they resolve: its category
    (with its ancestors), brand, rating summary and formats, then the offer summaries of the
    product and of its other formats in one batch, where the fields asked for them apart (the
    product's own summary and its formats' were two statements, a tick apart), then its pages
    of offers, reviews and questions when the arguments they ask for are certain. The fields
    then complete from the loaders' caches at once, without a task each, nor a batch sent two
    steps of the event loop later."""
    wanted = per_document(info, _page_selection)
    loaders = info.context.loaders
    if wanted.category:
        await load_batch(loaders.category_by_id, [product.category_id])
    if product.brand_id is not None and wanted.brand:
        await load_batch(loaders.brand_by_id, [product.brand_id])
    if product.work_id is not None and wanted.rating_summary:
        await load_batch(loaders.rating_summary_by_work_id, [product.work_id])
    summarised = [product] if wanted.own_summary else []
    if product.work_id is not None and wanted.formats:
        await load_batch(loaders.products_by_work_id, [product.work_id])
        if wanted.format_summaries:
            summarised += loaded(loaders.products_by_work_id, product.work_id) or []
    if summarised:
        await load_batch(loaders.offer_summary_by_product_id, [p.id for p in summarised])
    pages = []  # (loader, key) of the pages of offers, reviews and questions selected
    offers = arguments_of(info, wanted.offers)
    if offers is not None:
        pages.append((loaders.offers_by_product_id, lambda: product_offers_key(
            product.id, offers.get("condition"), offers.get("purchaseOption"), offers.get("first"),
            offers.get("after"), offers.get("last"), offers.get("before"))))
    reviews = arguments_of(info, wanted.reviews) if product.work_id is not None else None
    if reviews is not None and reviews.get("filter") is None:  # a filter is an input object: left to the field
        pages.append((loaders.reviews_by_work_id, lambda: (product.work_id, product_reviews_listing(
            reviews.get("sortKey"), None, reviews.get("first"), reviews.get("after")))))
    questions = arguments_of(info, wanted.questions)
    if questions is not None:
        pages.append((loaders.questions_by_product_id, lambda: (product.id, product_questions_listing(
            questions.get("sortKey"), questions.get("first"), questions.get("after")))))
    for loader, key in pages:
        try:
            wanted_key = key()
        except GraphQLError:
            continue  # page arguments the field refuses: its own resolution says so
        await load_batch(loader, [wanted_key])
