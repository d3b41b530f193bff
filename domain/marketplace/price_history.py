"""Offer price history: every price an offer has had, appended in the transaction that set it
and never rewritten (the database refuses UPDATE, DELETE and TRUNCATE of its rows); and the
prior price, the lowest price of the 30 days before the current price took effect; and the
lowest price of a period (the pre-order price guarantee charges it)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.marketplace.entities import PriceChange
from domain.shared.db import Reader, SessionReader
from domain.shared.money import Money
from domain.shared.pagination import Page, PageRequest, page_from_rows
from domain.shared.principal import Principal

PRIOR_PRICE_WINDOW = timedelta(days=30)


async def append(session: AsyncSession, offer_id: int, price_minor: int, shipping_minor: int, currency: str, *,
                 changed_by: int | None, source: str, competitor_name: str | None = None,
                 competitor_price_minor: int | None = None, evidence_url: str | None = None) -> None:
    """Record the offer's price and shipping as set now by `changed_by`. Callers hold the
    offer's row (locked, or new in their transaction), and the time is read now
    (`clock_timestamp()`), not at the transaction's start (`now()`): an edit that began first
    but waited for another's lock is recorded after it, so the history's newest entry is the
    price the offer has."""
    await session.execute(text(
        "INSERT INTO offer_price_history (offer_id, price_minor, shipping_minor, currency, changed_by, source,"
        " competitor_name, competitor_price_minor, evidence_url, changed_at)"
        " VALUES (:offer, :price, :shipping, :currency, :by, CAST(:source AS price_change_source),"
        " :competitor, :competitor_price, :evidence, clock_timestamp())"),
        {"offer": offer_id, "price": price_minor, "shipping": shipping_minor, "currency": currency,
         "by": changed_by, "source": source, "competitor": competitor_name,
         "competitor_price": competitor_price_minor, "evidence": evidence_url})


async def history_for_offers(reader: Reader, principal: Principal, offer_ids: Sequence[int],
                             page: PageRequest) -> dict[int, Page[PriceChange]]:
    """One page of each offer's price history, newest first, in one statement. Anyone may
    read prices; who matched which competitor, with what evidence, is shown to
    administrators and the offer's seller staff only."""
    rows = await reader.fetch(
        """
        SELECT * FROM (
          SELECT h.id, h.offer_id, h.price_minor, h.shipping_minor, h.currency, h.changed_at,
            h.source::text AS source, h.competitor_name, h.competitor_price_minor, h.evidence_url,
            o.seller_id,
            row_number() OVER (PARTITION BY h.offer_id ORDER BY h.changed_at DESC, h.id DESC) AS n,
            count(*) OVER (PARTITION BY h.offer_id) AS total
          FROM offer_price_history h JOIN offers o ON o.id = h.offer_id
          WHERE h.offer_id = ANY($1::bigint[])
        ) ranked
        WHERE n > $2 AND n <= $2 + $3 + 1
        ORDER BY offer_id, n
        """,
        list(offer_ids), page.offset, page.limit,
    )
    grouped: dict[int, list[PriceChange]] = defaultdict(list)
    totals: dict[int, int] = {}
    for r in rows:
        private = principal.is_admin or principal.is_staff_of(r["seller_id"])
        grouped[r["offer_id"]].append(PriceChange(*r[:7], *(r[7:10] if private else (None, None, None))))
        totals[r["offer_id"]] = r["total"]
    return {oid: page_from_rows(grouped.get(oid, []), page, totals.get(oid, 0)) for oid in offer_ids}


async def prior_prices(reader: Reader, offer_ids: Sequence[int]) -> dict[int, Money]:
    """The prior price of each offer, in one statement: the lowest price in effect at any time
    in the 30 days before the current price took effect (the price in effect when that window
    opened counts). The current price took effect at the last history entry whose price
    differs from the entry before it (shipping-only changes do not restart it). Offers whose
    price never changed have none."""
    rows = await reader.fetch(
        """
        WITH h AS (
          SELECT offer_id, id, price_minor, currency, changed_at,
            lag(price_minor) OVER w AS previous_price,
            lead(changed_at) OVER w AS replaced_at
          FROM offer_price_history
          WHERE offer_id = ANY($1::bigint[])
          WINDOW w AS (PARTITION BY offer_id ORDER BY changed_at, id)
        ), current_since AS (
          SELECT DISTINCT ON (offer_id) offer_id, changed_at AS since, id
          FROM h WHERE previous_price IS DISTINCT FROM price_minor
          ORDER BY offer_id, changed_at DESC, id DESC
        )
        SELECT c.offer_id, min(h.price_minor) AS price_minor, min(h.currency) AS currency
        FROM current_since c JOIN h ON h.offer_id = c.offer_id
        WHERE (h.changed_at, h.id) < (c.since, c.id) AND h.replaced_at > c.since - $2::interval
        GROUP BY c.offer_id
        """,
        list(offer_ids), PRIOR_PRICE_WINDOW,
    )
    return {r["offer_id"]: Money(r["price_minor"], r["currency"]) for r in rows}


async def lowest_prices_between(db: Reader | AsyncSession, offer_ids: Sequence[int], start: datetime,
                                end: datetime) -> dict[int, int]:
    """The lowest price (minor units) each offer had at any moment in [start, end], in one
    statement: the price in effect at `start` (its last entry at or before it) and every price
    set after it up to `end`. Offers without an entry by `end` are left out. Takes a `Reader`
    or a use case's session (read in its transaction)."""
    if isinstance(db, AsyncSession):
        db = SessionReader(db)
    rows = await db.fetch(
        """
        SELECT h.offer_id, min(h.price_minor) AS price_minor
        FROM offer_price_history h
        WHERE h.offer_id = ANY($1::bigint[]) AND h.changed_at <= $3
          AND (h.changed_at > $2 OR NOT EXISTS (
            SELECT 1 FROM offer_price_history later
            WHERE later.offer_id = h.offer_id AND later.changed_at <= $2
              AND (later.changed_at, later.id) > (h.changed_at, h.id)))
        GROUP BY h.offer_id
        """,
        sorted(set(offer_ids)), start, end)
    return {r["offer_id"]: r["price_minor"] for r in rows}
