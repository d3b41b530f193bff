"""SQL for marketplace reads, in bulk for the API's loaders."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.marketplace import buy_box
from domain.marketplace.entities import Offer, OfferSummary, PriceRange, Seller
from domain.marketplace.statuses import PurchaseOption
from domain.shared import pagination
from domain.shared.db import Reader
from domain.shared.money import Money
from domain.shared.pagination import Page, PageRequest, page_from_rows

_SELLER = """SELECT id, slug, name, is_first_party, standing::text AS standing, rating,
  ratings_count, created_at FROM sellers"""
_OFFER_COLUMNS = """o.id, o.seller_id, o.product_id, o.condition::text AS condition, o.condition_note,
  o.fulfilment::text AS fulfilment, o.price_minor, o.shipping_minor, o.currency, o.quantity,
  o.fulfilment = 'PLATFORM' AS prime_eligible, o.updated_at,
  s.id AS s_id, s.slug AS s_slug, s.name AS s_name, s.is_first_party, s.standing::text AS s_standing,
  s.rating AS s_rating, s.ratings_count AS s_ratings_count, s.created_at AS s_created_at,
  o.archived_at, o.purchase_option::text AS purchase_option, o.member_price_minor"""
# Offers a buyer can see: live, from a seller who is not suspended.
_VISIBLE = "o.archived_at IS NULL AND s.standing <> 'SUSPENDED'"


def _offer(r) -> Offer:
    # The seller comes joined with its offers: one statement instead of a second batch.
    return Offer(*r[:12], seller=Seller(*r[12:20]), archived_at=r[20], purchase_option=r[21],
                 member_price_minor=r[22])


async def offer_in_session(session: AsyncSession, offer_id: int) -> Offer:
    """An offer as the caller's transaction sees it now, archived or not (for payloads)."""
    row = (await session.execute(text(
        f"SELECT {_OFFER_COLUMNS} FROM offers o JOIN sellers s ON s.id = o.seller_id WHERE o.id = :id"),
        {"id": offer_id})).one()
    return _offer(tuple(row))


async def seller_in_session(session: AsyncSession, seller_id: int) -> Seller:
    row = (await session.execute(text(f"{_SELLER} WHERE id = :id"), {"id": seller_id})).one()
    return Seller(*row)


async def sellers_by_ids(reader: Reader, ids: Sequence[int]) -> dict[int, Seller]:
    rows = await reader.fetch(f"{_SELLER} WHERE id = ANY($1::bigint[])", list(ids))
    return {r["id"]: Seller(*r) for r in rows}


async def sellers_by_slugs(reader: Reader, slugs: Sequence[str]) -> dict[str, Seller]:
    rows = await reader.fetch(f"{_SELLER} WHERE slug = ANY($1::text[])", list(slugs))
    return {r["slug"]: Seller(*r) for r in rows}


async def offers_by_ids(reader: Reader, ids: Sequence[int]) -> dict[int, Offer]:
    rows = await reader.fetch(
        f"SELECT {_OFFER_COLUMNS} FROM offers o JOIN sellers s ON s.id = o.seller_id"
        f" WHERE o.id = ANY($1::bigint[]) AND {_VISIBLE}",
        list(ids),
    )
    return {r["id"]: _offer(r) for r in rows}


async def offer_summaries_by_option(
    reader: Reader, product_ids: Sequence[int], purchase_options: Sequence[str] = tuple(PurchaseOption),
) -> dict[int, dict[str, OfferSummary]]:
    """Featured offer and price range of each product per purchase option (BUY, RENT), in one
    statement: {product id: {option: summary}}, an option present only with offers in stock.

    The featured offer follows the buy box rule (`buy_box`): the lowest landed price among
    in-stock offers of new items from sellers in good standing; on a tie, platform
    fulfilment (Prime) wins, then the better-rated seller. It is chosen on the price everyone
    pays, so members and non-members see the same featured offer; members are also shown its
    member price, and the range's lowest member price. Used offers and other sellers'
    in-stock offers count in the price range. Offers to buy and to rent are summed up apart:
    a rental is not the price of the product, it is the price of renting it.
    """
    rows = await reader.fetch(
        f"""
        SELECT DISTINCT ON (o.product_id, o.purchase_option) {_OFFER_COLUMNS},
          {buy_box.FEATURABLE} AS featurable,
          min(o.price_minor) OVER w AS min_price, max(o.price_minor) OVER w AS max_price,
          count(*) OVER w AS offer_count, count(o.member_price_minor) OVER w AS member_priced,
          min(coalesce(o.member_price_minor, o.price_minor)) OVER w AS member_min
        FROM offers o JOIN sellers s ON s.id = o.seller_id
        WHERE o.product_id = ANY($1::bigint[]) AND o.quantity > 0 AND {_VISIBLE}
          AND o.purchase_option = ANY($2::purchase_option[])
        WINDOW w AS (PARTITION BY o.product_id, o.purchase_option)
        ORDER BY o.product_id, o.purchase_option, ({buy_box.FEATURABLE}) DESC, {buy_box.ORDER}
        """,
        list(product_ids), list(purchase_options),
    )
    summaries: dict[int, dict[str, OfferSummary]] = {}
    for r in rows:
        offer = _offer(r)
        summaries.setdefault(offer.product_id, {})[offer.purchase_option] = OfferSummary(
            product_id=offer.product_id,
            featured=offer if r["featurable"] else None,
            min_price=Money(r["min_price"], offer.currency),
            max_price=Money(r["max_price"], offer.currency),
            offer_count=r["offer_count"],
            purchase_option=offer.purchase_option,
            member_min_price=Money(r["member_min"], offer.currency) if r["member_priced"] else None,
        )
    return summaries


async def price_ranges_by_option(
    reader: Reader, product_ids: Sequence[int], purchase_options: Sequence[str] = tuple(PurchaseOption),
) -> dict[int, dict[str, PriceRange]]:
    """The price range of each product per purchase option, equal to the one its offer summary
    holds (`offer_summaries_by_option`: the same offers counted, the featured offer's currency),
    in one aggregate row per product and option: no offer or seller is read, for a list that
    shows prices alone. {product id: {option: range}}, an option present only with offers in stock."""
    rows = await reader.fetch(
        f"""
        SELECT o.product_id, o.purchase_option::text AS purchase_option,
          min(o.price_minor) AS min_price, max(o.price_minor) AS max_price, count(*) AS offer_count,
          count(o.member_price_minor) AS member_priced,
          min(coalesce(o.member_price_minor, o.price_minor)) AS member_min,
          (array_agg(o.currency ORDER BY ({buy_box.FEATURABLE}) DESC, {buy_box.ORDER}))[1] AS currency
        FROM offers o JOIN sellers s ON s.id = o.seller_id
        WHERE o.product_id = ANY($1::bigint[]) AND o.quantity > 0 AND {_VISIBLE}
          AND o.purchase_option = ANY($2::purchase_option[])
        GROUP BY o.product_id, o.purchase_option
        """,
        list(product_ids), list(purchase_options),
    )
    ranges: dict[int, dict[str, PriceRange]] = {}
    for product_id, option, min_price, max_price, count, member_priced, member_min, currency in rows:
        ranges.setdefault(product_id, {})[option] = PriceRange(
            product_id, Money(min_price, currency), Money(max_price, currency), count, option,
            Money(member_min, currency) if member_priced else None)
    return ranges


async def offer_summaries(reader: Reader, product_ids: Sequence[int]) -> dict[int, OfferSummary]:
    """The buy box of each product (offers to buy; see `offer_summaries_by_option`)."""
    found = await offer_summaries_by_option(reader, product_ids, ("BUY",))
    return {pid: by_option["BUY"] for pid, by_option in found.items()}


async def offers_for_products(
    reader: Reader, product_ids: Sequence[int], condition: str | None, page: PageRequest,
    purchase_option: str | None = None,
) -> dict[int, Page[Offer]]:
    """One page of each product's visible offers (of one condition and one purchase option,
    when given): in stock first, then by landed price."""
    rows = await reader.fetch(
        f"""
        SELECT * FROM (
          SELECT {_OFFER_COLUMNS},
            row_number() OVER (PARTITION BY o.product_id
              ORDER BY o.quantity > 0 DESC, o.landed_minor, o.fulfilment = 'PLATFORM' DESC, o.id) AS n,
            count(*) OVER (PARTITION BY o.product_id) AS total
          FROM offers o JOIN sellers s ON s.id = o.seller_id
          WHERE o.product_id = ANY($1::bigint[]) AND {_VISIBLE}
            AND ($2::offer_condition IS NULL OR o.condition = $2::offer_condition)
            AND ($5::purchase_option IS NULL OR o.purchase_option = $5::purchase_option)
        ) ranked
        WHERE n > $3 AND n <= $3 + $4 + 1
        ORDER BY product_id, n
        """,
        list(product_ids), condition, page.offset, page.limit, purchase_option,
    )
    grouped: dict[int, list] = defaultdict(list)
    totals: dict[int, int] = {}
    for r in rows:
        grouped[r["product_id"]].append(_offer(r))
        totals[r["product_id"]] = r["total"]
    return {
        pid: page_from_rows(grouped.get(pid, []), page, totals.get(pid, 0)) for pid in product_ids
    }


async def offers_for_sellers(
    reader: Reader, seller_ids: Sequence[int], page: PageRequest, purchase_option: str | None = None,
) -> dict[int, Page[Offer]]:
    """One page of each seller's live offers (of one purchase option, when given), newest first."""
    rows = await reader.fetch(
        f"""
        SELECT * FROM (
          SELECT {_OFFER_COLUMNS},
            row_number() OVER (PARTITION BY o.seller_id ORDER BY o.id DESC) AS n,
            count(*) OVER (PARTITION BY o.seller_id) AS total
          FROM offers o JOIN sellers s ON s.id = o.seller_id
          WHERE o.seller_id = ANY($1::bigint[]) AND {_VISIBLE}
            AND ($4::purchase_option IS NULL OR o.purchase_option = $4::purchase_option)
        ) ranked
        WHERE n > $2 AND n <= $2 + $3 + 1
        ORDER BY seller_id, n
        """,
        list(seller_ids), page.offset, page.limit, purchase_option,
    )
    grouped: dict[int, list] = defaultdict(list)
    totals: dict[int, int] = {}
    for r in rows:
        grouped[r["seller_id"]].append(_offer(r))
        totals[r["seller_id"]] = r["total"]
    return {
        sid: page_from_rows(grouped.get(sid, []), page, totals.get(sid, 0)) for sid in seller_ids
    }


paged = pagination.paged
