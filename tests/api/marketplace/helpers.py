"""Shared steps of marketplace management tests: documents, global IDs, direct SQL for the
"given" and "nothing changed" parts."""
from __future__ import annotations

import asyncpg

from api.core import ids
from domain.shared.db import Database
from tests.fixtures.db import fetch, fetchval  # noqa: F401  (re-exported for the tests here)

FIRST_PARTY = 1
ERRORS = "userErrors { code message field }"
OFFER_FIELDS = """id condition conditionNote fulfilment quantityAvailable archivedAt
  price { amount currencyCode } shippingPrice { amount currencyCode } seller { id }"""

CREATE_OFFER = f"""mutation($input: CreateOfferInput!) {{ createOffer(input: $input) {{
  offer {{ {OFFER_FIELDS} }} {ERRORS} }} }}"""
UPDATE_OFFER = f"""mutation($input: UpdateOfferInput!) {{ updateOffer(input: $input) {{
  offer {{ {OFFER_FIELDS} }} {ERRORS} }} }}"""
ARCHIVE_OFFER = f"""mutation($input: ArchiveOfferInput!) {{ archiveOffer(input: $input) {{
  offer {{ {OFFER_FIELDS} }} {ERRORS} }} }}"""
MATCH_PRICE = f"""mutation($input: MatchCompetitorPriceInput!) {{ matchCompetitorPrice(input: $input) {{
  offer {{ {OFFER_FIELDS}
    priceHistory(first: 5) {{ nodes {{ price {{ amount }} source
      competitorMatch {{ competitorName competitorPrice {{ amount currencyCode }} evidenceUrl }} }} }} }}
  {ERRORS} }} }}"""


def gid(type_name: str, pk: int) -> str:
    return ids.encode(type_name, pk)


def usd(amount: str) -> dict:
    return {"amount": amount, "currencyCode": "USD"}


async def live_offer(db: Database, *, first_party: bool = False, standing: str = "GOOD",
                     in_stock: bool = True) -> asyncpg.Record:
    """A live offer (id, seller_id, product_id, price_minor) of a seller in this standing."""
    rows = await fetch(db, """
        SELECT o.id, o.seller_id, o.product_id, o.price_minor, o.shipping_minor, o.quantity, o.condition::text
        FROM offers o JOIN sellers s ON s.id = o.seller_id
        WHERE o.archived_at IS NULL AND s.is_first_party = $1 AND s.standing = $2::seller_standing
          AND (o.quantity > 0) = $3 AND o.condition = 'NEW'
        ORDER BY o.id LIMIT 1""", first_party, standing, in_stock)
    return rows[0]


async def product_without_offer_of(db: Database, seller_id: int) -> int:
    """A live physical product the seller has no live offer on."""
    return await fetchval(db, """
        SELECT p.id FROM products p WHERE p.archived_at IS NULL AND p.kind = 'PHYSICAL'
          AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.product_id = p.id AND o.seller_id = $1
                          AND o.archived_at IS NULL)
        ORDER BY p.id LIMIT 1""", seller_id)


async def offer_state(db: Database, offer_id: int) -> dict:
    """Everything a failed offer mutation must leave as it was: the row, its history, the
    product's search document and the job queue."""
    row = (await fetch(db, "SELECT * FROM offers WHERE id = $1", offer_id))[0]
    history = await fetch(db, "SELECT * FROM offer_price_history WHERE offer_id = $1 ORDER BY id", offer_id)
    document = await fetch(db, "SELECT price_minor, in_stock, prime_eligible FROM search_documents"
                               " WHERE product_id = $1", row["product_id"])
    offers = await fetchval(db, "SELECT count(*) FROM offers")
    return {"offer": dict(row), "history": [dict(h) for h in history], "document": [dict(d) for d in document],
            "offers": offers}
