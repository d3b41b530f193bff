"""SQL of the carts context: carts with their lines (and which of their titles the customer
owns already, as the licences context defines it) and delivery choices in one statement,
the delivery and tax configuration in another, and the writes of the cart use cases."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts.entities import (
    EMPTY_CONFIG,
    CartRecord,
    DeliveryConfig,
    DeliveryRate,
    LineRecord,
    PickupLocation,
    SameDayCity,
    Selection,
    ShippingAddress,
    TaxRate,
)
from domain.events import outbox
from domain.events.kinds import EventKind
from domain.licences import service as licences

_CART = """SELECT c.id, c.account_id, c.token_hash, c.status::text AS status, c.currency, c.merged_into_id,
  c.shipping_address_id, c.ship_full_name, c.ship_line1, c.ship_line2, c.ship_city, c.ship_region,
  c.ship_postal_code, c.ship_country_code, c.ship_phone, c.billing_address_id, c.bill_full_name, c.bill_line1,
  c.bill_line2, c.bill_city, c.bill_region, c.bill_postal_code, c.bill_country_code, c.bill_phone, c.created_at,
  c.updated_at,
  ARRAY(SELECT ROW(l.id, l.offer_id, l.product_id, l.seller_id, l.quantity, l.unit_price_minor_at_add, l.currency,
                   l.added_at, l.updated_at, """ + licences.owned_kinds_sql("c.account_id", "l.product_id") + """,
                   l.subscription_frequency_months)
        FROM cart_lines l WHERE l.cart_id = c.id ORDER BY l.added_at, l.id) AS lines,
  ARRAY(SELECT ROW(s.seller_id, s.fulfilment::text, s.option::text, s.pickup_location_id)
        FROM cart_delivery_selections s WHERE s.cart_id = c.id) AS selections
FROM carts c"""


def address_from_row(r, prefix: str, address_id: int | None = None) -> ShippingAddress | None:
    """The copy of an address in columns `<prefix>_full_name`... (None when it has no country)."""
    if r[f"{prefix}_country_code"] is None:
        return None
    return ShippingAddress(*(r[f"{prefix}_{column}"] or "" for column in (
        "full_name", "line1", "line2", "city", "region", "postal_code", "country_code", "phone")), address_id)


def _cart(r) -> CartRecord:
    return CartRecord(
        id=r["id"], account_id=r["account_id"], token_hash=r["token_hash"], status=r["status"],
        currency=r["currency"], merged_into_id=r["merged_into_id"],
        shipping_address=address_from_row(r, "ship", r["shipping_address_id"]),
        billing_address=address_from_row(r, "bill", r["billing_address_id"]),
        created_at=r["created_at"], updated_at=r["updated_at"],
        lines=[LineRecord(*line[:9], owned_kinds=licences.parse_owned_kinds(line[9]), subscription_frequency_months=line[10])
               for line in r["lines"]],
        selections={(s[0], s[1]): Selection(s[2], s[3]) for s in r["selections"]},
    )


async def carts_by_ids(db, ids: Sequence[int]) -> dict[int, CartRecord]:
    rows = await db.fetch(f"{_CART} WHERE c.id = ANY($1::bigint[])", list(ids))
    return {r["id"]: _cart(r) for r in rows}


async def cart_by_token_hash(db, token_hash: str) -> CartRecord | None:
    row = await db.fetchrow(f"{_CART} WHERE c.token_hash = $1", token_hash)
    return None if row is None else _cart(row)


async def active_cart_of(db, account_id: int) -> CartRecord | None:
    row = await db.fetchrow(f"{_CART} WHERE c.account_id = $1 AND c.status = 'ACTIVE'", account_id)
    return None if row is None else _cart(row)


async def delivery_config(db, countries: Iterable[str], any_country: bool) -> DeliveryConfig:
    """Delivery rates, active same-day cities, the active pickup locations in `countries` (all
    of them with `any_country`) and the tax rates of `countries`, in one statement."""
    countries = sorted(set(countries))
    if not countries and not any_country:
        return EMPTY_CONFIG
    row = await db.fetchrow(
        """SELECT
          ARRAY(SELECT ROW(kind::text, fulfilment::text, fee_minor, free_over_minor, business_days::int, currency)
                FROM delivery_rates) AS rates,
          ARRAY(SELECT ROW(id, country_code, region, city, timezone, cutoff_local, fee_minor, currency)
                FROM same_day_cities WHERE active ORDER BY id) AS cities,
          ARRAY(SELECT ROW(id, name, line1, line2, city, region, postal_code, country_code)
                FROM pickup_locations WHERE active AND ($2 OR country_code = ANY($1::text[]))
                ORDER BY country_code, city, name, id) AS pickups,
          ARRAY(SELECT ROW(country_code, region, tax_class::text, rate_bp)
                FROM tax_rates WHERE country_code = ANY($1::text[])) AS taxes""",
        countries, any_country)
    return DeliveryConfig(
        rates={(r[0], r[1]): DeliveryRate(*r) for r in row["rates"]},
        same_day_cities=[SameDayCity(*r) for r in row["cities"]],
        pickup_locations=[PickupLocation(*r) for r in row["pickups"]],
        tax_rates=[TaxRate(*r) for r in row["taxes"]],
    )


# Writes (through the use case's session) --------------------------------------------------

async def lock(session: AsyncSession, cart_id: int) -> bool:
    """Lock a cart's row until commit (changes of one cart run one after the other)."""
    found = (await session.execute(text("SELECT id FROM carts WHERE id = :id FOR UPDATE"), {"id": cart_id})).scalar()
    return found is not None


async def lock_by_token_hash(session: AsyncSession, token_hash: str) -> int | None:
    return (await session.execute(text("SELECT id FROM carts WHERE token_hash = :hash FOR UPDATE"),
                                  {"hash": token_hash})).scalar()


async def create_guest_cart(session: AsyncSession, token_hash: str, currency: str) -> int:
    return (await session.execute(text(
        "INSERT INTO carts (token_hash, currency) VALUES (:hash, :currency) RETURNING id"),
        {"hash": token_hash, "currency": currency})).scalar_one()


async def lock_or_create_customer_cart(session: AsyncSession, account_id: int, currency: str) -> int:
    """The account's ACTIVE cart, created when it has none, locked until commit. Safe against a
    concurrent creation: the unique index on active carts per account decides, and the loser
    takes the winner's cart."""
    created = (await session.execute(text(
        "INSERT INTO carts (account_id, currency) VALUES (:account, :currency)"
        " ON CONFLICT (account_id) WHERE status = 'ACTIVE' DO NOTHING RETURNING id"),
        {"account": account_id, "currency": currency})).scalar()
    if created is not None:
        return created
    return (await session.execute(text(
        "SELECT id FROM carts WHERE account_id = :account AND status = 'ACTIVE' FOR UPDATE"),
        {"account": account_id})).scalar_one()


async def insert_line(session: AsyncSession, cart_id: int, offer_id: int, product_id: int, seller_id: int,
                      quantity: int, price_minor: int, currency: str, frequency_months: int | None = None) -> None:
    await session.execute(text(
        "INSERT INTO cart_lines (cart_id, offer_id, product_id, seller_id, quantity, unit_price_minor_at_add, currency,"
        " subscription_frequency_months) VALUES (:cart, :offer, :product, :seller, :quantity, :price, :currency,"
        " :frequency)"),
        {"cart": cart_id, "offer": offer_id, "product": product_id, "seller": seller_id, "quantity": quantity,
         "price": price_minor, "currency": currency, "frequency": frequency_months})


async def set_line_subscription(session: AsyncSession, line_id: int, frequency_months: int | None) -> None:
    """Makes a line a Subscribe & Save subscription every `frequency_months`, or (None) a one-time
    purchase."""
    await session.execute(text("UPDATE cart_lines SET subscription_frequency_months = :frequency, updated_at = now()"
                               " WHERE id = :id"), {"id": line_id, "frequency": frequency_months})


async def set_line(session: AsyncSession, line_id: int, quantity: int, price_minor: int | None = None) -> None:
    """A line's new quantity; with `price_minor`, the price the customer now saw."""
    await session.execute(text(
        "UPDATE cart_lines SET quantity = :quantity,"
        " unit_price_minor_at_add = coalesce(:price, unit_price_minor_at_add), updated_at = now() WHERE id = :id"),
        {"id": line_id, "quantity": quantity, "price": price_minor})


async def delete_lines(session: AsyncSession, line_ids: Sequence[int]) -> None:
    await session.execute(text("DELETE FROM cart_lines WHERE id = ANY(CAST(:ids AS bigint[]))"),
                          {"ids": list(line_ids)})


async def set_shipping_address(session: AsyncSession, cart_id: int, address: ShippingAddress) -> None:
    await session.execute(text(
        "UPDATE carts SET shipping_address_id = :address_id, ship_full_name = :full_name, ship_line1 = :line1,"
        " ship_line2 = :line2, ship_city = :city, ship_region = :region, ship_postal_code = :postal_code,"
        " ship_country_code = :country_code, ship_phone = :phone, updated_at = now() WHERE id = :id"),
        {"id": cart_id, "address_id": address.address_id, "full_name": address.full_name, "line1": address.line1,
         "line2": address.line2, "city": address.city, "region": address.region, "postal_code": address.postal_code,
         "country_code": address.country_code, "phone": address.phone})


async def set_billing_address(session: AsyncSession, cart_id: int, address: ShippingAddress) -> None:
    await session.execute(text(
        "UPDATE carts SET billing_address_id = :address_id, bill_full_name = :full_name, bill_line1 = :line1,"
        " bill_line2 = :line2, bill_city = :city, bill_region = :region, bill_postal_code = :postal_code,"
        " bill_country_code = :country_code, bill_phone = :phone, updated_at = now() WHERE id = :id"),
        {"id": cart_id, "address_id": address.address_id, "full_name": address.full_name, "line1": address.line1,
         "line2": address.line2, "city": address.city, "region": address.region, "postal_code": address.postal_code,
         "country_code": address.country_code, "phone": address.phone})


async def select_delivery(session: AsyncSession, cart_id: int, seller_id: int, fulfilment: str,
                          selection: Selection) -> None:
    await session.execute(text(
        "INSERT INTO cart_delivery_selections (cart_id, seller_id, fulfilment, option, pickup_location_id)"
        " VALUES (:cart, :seller, CAST(:fulfilment AS fulfilment), CAST(:option AS delivery_option_kind), :pickup)"
        " ON CONFLICT (cart_id, seller_id, fulfilment) DO UPDATE SET option = excluded.option,"
        " pickup_location_id = excluded.pickup_location_id, selected_at = now()"),
        {"cart": cart_id, "seller": seller_id, "fulfilment": fulfilment, "option": selection.option,
         "pickup": selection.pickup_location_id})


async def delete_selections(session: AsyncSession, cart_id: int, keys: Sequence[tuple[int, str]]) -> None:
    for seller_id, fulfilment in keys:
        await session.execute(text(
            "DELETE FROM cart_delivery_selections WHERE cart_id = :cart AND seller_id = :seller"
            " AND fulfilment = CAST(:fulfilment AS fulfilment)"),
            {"cart": cart_id, "seller": seller_id, "fulfilment": fulfilment})


async def touch(session: AsyncSession, cart_id: int) -> None:
    """Stamps a changed cart and announces `cart.updated` (to its customer; a guest cart has none)."""
    owner = (await session.execute(text("UPDATE carts SET updated_at = now() WHERE id = :id RETURNING account_id"),
                                   {"id": cart_id})).scalar_one()
    await outbox.publish(session, EventKind.CART_UPDATED, cart_id, customer_id=owner)


async def mark_ordered(session: AsyncSession, cart_id: int) -> None:
    await session.execute(text("UPDATE carts SET status = 'ORDERED', updated_at = now() WHERE id = :id"),
                          {"id": cart_id})


async def mark_merged(session: AsyncSession, cart_id: int, into_id: int) -> None:
    await session.execute(text(
        "UPDATE carts SET status = 'MERGED', merged_into_id = :into, updated_at = now() WHERE id = :id"),
        {"id": cart_id, "into": into_id})


async def pickup_locations_by_ids(db, ids: Sequence[int]) -> dict[int, PickupLocation]:
    rows = await db.fetch("SELECT id, name, line1, line2, city, region, postal_code, country_code"
                          " FROM pickup_locations WHERE id = ANY($1::bigint[])", list(ids))
    return {r["id"]: PickupLocation(*r) for r in rows}
