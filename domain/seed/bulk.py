"""Merchandise beyond the first 100,000 items, generated inside PostgreSQL.

The Python generator (`merchandise.py`) draws every product from one random stream and holds
the whole catalogue in memory: fine for the demo, minutes and gigabytes at two million
products. Past `PYTHON_MERCHANDISE` items, products and their offers are made set-based
(`INSERT ... SELECT FROM generate_series`), each value drawn from a hash of the product id and a
salt instead of a stream, so product n is the same whether the catalogue was seeded at once or
grown to its size later (`grow`), and no row crosses the wire.

They come from the same word lists, brands and sellers as the Python-made goods, simplified:
goods shelves only (no movies or music, which need works and formats), every product new and
released, offers from the platform and one to three active sellers of the department, no used
copies or member prices.
"""
from __future__ import annotations

import json
from collections.abc import Callable

import asyncpg

from domain.seed.brands import brands_by_department, build_brands
from domain.seed.categories import build_category_tree
from domain.seed.goods_vocabulary import LINES
from domain.seed.merchandise import CONSUMABLES_SLUG, IMAGE_HOST, _shelves
from domain.seed.records import REFERENCE_TIME, SEED
from domain.seed.sellers import FIRST_PARTY_ID, build_sellers

PYTHON_MERCHANDISE = 100_000
# Products per statement: keeps each step's temporary table small and reports progress.
_CHUNK = 250_000


def _tables() -> dict[str, str]:
    """The shelves, brands and sellers the SQL draws from, as JSON parameters."""
    tree = build_category_tree()
    consumables = tree.by_slug(CONSUMABLES_SLUG).id
    brands = brands_by_department(build_brands(tree))
    shelves = []
    for shelf in _shelves(tree):
        line = LINES.get(shelf.slug)
        if line is None:  # movies and music: not generated in bulk
            continue
        department = tree.top_id(shelf.id)
        colours = dict(line.attributes).get("colour", ())
        shelves.append({
            "n": len(shelves), "shelf_id": shelf.id, "department_id": department,
            "adjectives": list(line.adjectives), "nouns": list(line.nouns), "variants": list(line.variants),
            "colours": [str(c) for c in colours], "price_low": line.price[0], "price_high": line.price[1],
            "weight_low": line.weight[0], "weight_high": line.weight[1], "use": line.use,
            "consumable": department == consumables,
            "brand_ids": [b.id for b in brands[department]], "brand_names": [b.name for b in brands[department]],
        })
    sellers: dict[int, list[int]] = {}
    for seller in build_sellers(tree):
        if seller.is_first_party or seller.standing == "SUSPENDED":
            continue
        for department in seller.departments:
            sellers.setdefault(department, []).append(seller.id)
    return {
        "shelves": json.dumps(shelves),
        "sellers": json.dumps([{"department_id": d, "seller_ids": ids} for d, ids in sellers.items()]),
    }


# r(k): a uniform draw in [0, 1) for the row's product id and salt k.
def _r(salt: int) -> str:
    return f"((hashint8extended(g.id, {SEED + salt}) & 2147483647)::float8 / 2147483648.0)"


def _pick(array: str, salt: int) -> str:
    return f"{array}[1 + floor({_r(salt)} * cardinality({array}))::int]"


_DRAFTS = f"""
CREATE TEMP TABLE bulk_drafts ON COMMIT DROP AS
SELECT g.id, s.shelf_id, s.department_id, s.consumable, s.use,
       {_pick('s.brand_ids', 2)} AS brand_id,
       {_pick('s.brand_names', 2)} AS brand,
       {_pick('s.adjectives', 3)} AS adjective, {_pick('s.nouns', 4)} AS noun,
       {_pick('s.variants', 5)} AS variant,
       CASE WHEN cardinality(s.colours) > 0 THEN {_pick('s.colours', 6)} END AS colour,
       {_r(7)} < 0.5 AS colour_in_title,
       greatest(99, round(exp(ln(s.price_low) + {_r(8)} * (ln(s.price_high) - ln(s.price_low))))::bigint * 100 - 1)
         AS list_price,
       round(exp(ln(s.weight_low) + {_r(9)} * (ln(s.weight_high) - ln(s.weight_low))))::int AS weight,
       DATE '{REFERENCE_TIME.date().isoformat()}' - (30 + floor({_r(10)} * 3620))::int AS released,
       TIMESTAMPTZ '{REFERENCE_TIME.isoformat()}'
         - make_interval(days => 1 + floor({_r(11)} * 1400)::int, secs => floor({_r(12)} * 86400)) AS created,
       {_r(13)} AS r_first_party, {_r(14)} AS r_sellers, {_r(15)} AS r_count, {_r(16)} AS r_sold_out
FROM generate_series($1::bigint, $2::bigint) AS g(id)
JOIN jsonb_to_recordset($3::jsonb) AS s(n int, shelf_id bigint, department_id bigint, adjectives text[],
       nouns text[], variants text[], colours text[], price_low int, price_high int, weight_low int,
       weight_high int, use text, consumable boolean, brand_ids bigint[], brand_names text[])
  ON s.n = floor({_r(1)} * jsonb_array_length($3::jsonb))::int
"""

_TITLED = """
ALTER TABLE bulk_drafts ADD COLUMN title text;
UPDATE bulk_drafts SET title = brand || ' ' || adjective || ' ' || noun
  || CASE WHEN variant = '' THEN '' WHEN variant LIKE 'with %' THEN ' ' || variant ELSE ', ' || variant END
  || CASE WHEN colour IS NOT NULL AND colour_in_title THEN ', ' || colour ELSE '' END;
"""

_PRODUCTS = f"""
INSERT INTO products (id, slug, title, description, kind, format, category_id, brand_id, authors,
                      attributes, images, release_date, ratings_count, created_at, updated_at,
                      subscribe_eligible)
SELECT id, trim(both '-' from regexp_replace(lower(title), '[^a-z0-9]+', '-', 'g')) || '-' || id, title,
       'Designed ' || use || ': the ' || brand || ' ' || adjective || ' ' || noun || '.'
         || CASE WHEN colour IS NOT NULL THEN ' Shown here in ' || colour || '.' ELSE '' END,
       'PHYSICAL', 'STANDARD', shelf_id, brand_id, '{{}}',
       jsonb_strip_nulls(jsonb_build_object('colour', colour, 'weightGrams', weight)),
       jsonb_build_array(jsonb_build_object('url', '{IMAGE_HOST}/' || id || '-1.jpg',
                                            'altText', title || ', image 1', 'width', 1000, 'height', 1000)),
       released, 0, created, created, consumable
FROM bulk_drafts
"""

# The platform sells 55% of them; the others get one to three sellers of their department,
# the platform's get none to two; 0.8% of products are sold out everywhere.
_OFFERS = f"""
INSERT INTO offers (seller_id, product_id, condition, condition_note, fulfilment, price_minor,
                    shipping_minor, currency, quantity, created_at, updated_at, purchase_option)
SELECT {FIRST_PARTY_ID}, id, 'NEW'::offer_condition, '', 'PLATFORM'::fulfilment, list_price, 0, 'USD',
       CASE WHEN r_sold_out < 0.008 THEN 0 ELSE 20 + floor(r_count * 781)::int END, created, created,
       'BUY'::purchase_option
FROM bulk_drafts d WHERE r_first_party < 0.55
UNION ALL
SELECT p.seller_ids[1 + (floor(d.r_sellers * cardinality(p.seller_ids))::int + k) % cardinality(p.seller_ids)],
       d.id, 'NEW', '',
       CASE WHEN h.r_platform < 0.45 THEN 'PLATFORM' ELSE 'MERCHANT' END::fulfilment,
       greatest(99, round(d.list_price * (0.85 + 0.35 * h.r_price) / 100)::bigint * 100 - 1),
       CASE WHEN h.r_platform < 0.45 OR h.r_price < 0.35 THEN 0 ELSE 499 END, 'USD',
       CASE WHEN d.r_sold_out < 0.008 OR h.r_quantity < 0.09 THEN 0 ELSE 1 + floor(h.r_quantity * 120)::int END,
       d.created + interval '1 day' * k, d.created + interval '1 day' * k, 'BUY'
FROM bulk_drafts d
JOIN jsonb_to_recordset($1::jsonb) AS p(department_id bigint, seller_ids bigint[])
  ON p.department_id = d.department_id
CROSS JOIN LATERAL generate_series(0, least(cardinality(p.seller_ids),
  CASE WHEN d.r_first_party < 0.55 THEN floor(d.r_count * 3)::int ELSE 1 + floor(d.r_count * 3)::int END) - 1) AS k
CROSS JOIN LATERAL (
  SELECT (hashint8extended(d.id * 4 + k, {SEED + 21}) & 2147483647)::float8 / 2147483648.0 AS r_platform,
         (hashint8extended(d.id * 4 + k, {SEED + 22}) & 2147483647)::float8 / 2147483648.0 AS r_price,
         (hashint8extended(d.id * 4 + k, {SEED + 23}) & 2147483647)::float8 / 2147483648.0 AS r_quantity
) h
"""

_HISTORY = """
INSERT INTO offer_price_history (offer_id, price_minor, shipping_minor, currency, changed_at, source)
SELECT id, price_minor, shipping_minor, currency, created_at, 'SEED' FROM offers
WHERE product_id BETWEEN $1 AND $2
"""


async def add_merchandise(conn: asyncpg.Connection, first_id: int, last_id: int,
                          say: Callable[[str], None]) -> None:
    """Products `first_id`..`last_id` (the ids must be free) with their offers and first price
    history entries; the search documents are the caller's to build. Run inside a transaction."""
    tables = _tables()
    for start in range(first_id, last_id + 1, _CHUNK):
        end = min(last_id, start + _CHUNK - 1)
        await conn.execute(_DRAFTS, start, end, tables["shelves"])
        await conn.execute(_TITLED)
        await conn.execute(_PRODUCTS)
        await conn.execute(_OFFERS, tables["sellers"])
        await conn.execute(_HISTORY, start, end)
        await conn.execute("DROP TABLE bulk_drafts")
        say(f"bulk merchandise: products {start}-{end}")
