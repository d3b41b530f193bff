"""Shared steps of checkout tests: customers and their carts made through the cart use cases,
placing an order in its own committed transaction, and the rows a refused checkout must leave
as they were."""
from __future__ import annotations

import itertools
import uuid

from domain.identity import service as identity
from domain.ordering import service as ordering
from domain.payments.test_provider import TestPaymentProvider
from domain.shared.db import Database
from domain.shared.money import Money
from domain.shared.principal import Principal
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import fetch, fetchval

LIMITS = ordering.CartLimits(quantity_per_line=10, lines_per_cart=100)
SEATTLE = identity.AddressFields(full_name="Ada Reader", line1="400 Broad St", city="Seattle", region="WA",
                                 postal_code="98109", country_code="US")
BERLIN = identity.AddressFields(full_name="Ada Leserin", line1="Unter den Linden 1", city="Berlin",
                                postal_code="10117", country_code="DE")
_n = itertools.count(1)

_OFFER = """SELECT o.id, o.seller_id, o.product_id, o.price_minor, o.quantity, o.fulfilment::text AS fulfilment
FROM offers o JOIN sellers s ON s.id = o.seller_id JOIN products p ON p.id = o.product_id
WHERE o.archived_at IS NULL AND p.archived_at IS NULL AND s.standing <> 'SUSPENDED' AND o.currency = 'USD'
  AND (p.release_date IS NULL OR p.release_date <= current_date)"""
PLATFORM_BOOK = "s.is_first_party AND p.format = 'PAPERBACK' AND o.quantity >= 20"
MERCHANT_GOODS = "o.fulfilment = 'MERCHANT' AND o.quantity >= 20 AND p.kind = 'PHYSICAL'"
KINDLE = "p.format = 'KINDLE'"


async def offers(db: Database, where: str, limit: int = 1) -> list:
    return await fetch(db, f"{_OFFER} AND {where} ORDER BY o.id LIMIT {limit}")


async def offer(db: Database, where: str):
    return (await offers(db, where))[0]


async def customer(db: Database, name: str = "buyer") -> Principal:
    email = f"{name}-{next(_n)}-{uuid.uuid4().hex[:6]}@example.com"
    account_id = await fetchval(db, "INSERT INTO accounts (email, display_name, password_hash) VALUES ($1, $2, 'x')"
                                    " RETURNING id", email, name)
    return Principal(account_id=account_id)


async def cart(db: Database, buyer: Principal, lines: list[tuple[int, int]], *,
               address: identity.AddressFields | None = SEATTLE, choices: list[tuple[int, str, str]] = (),
               billing: identity.AddressFields | None = None) -> int:
    """The buyer's cart with these (offer id, quantity) lines, shipped to `address` (billed to
    `billing`), with the delivery `choices` (seller id, fulfilment, option) made."""
    async with UnitOfWork(db) as uow:
        ref = await ordering.create_cart(uow.session, buyer, [ordering.LineRequest(o, q) for o, q in lines], LIMITS)
        if address is not None:
            await ordering.set_cart_shipping_address(uow.session, buyer, ref.cart_id, None, address=address)
        if billing is not None:
            await ordering.set_cart_billing_address(uow.session, buyer, ref.cart_id, None, address=billing)
        for seller_id, fulfilment, option in choices:
            await ordering.select_cart_delivery_option(uow.session, buyer, ref.cart_id, None, seller_id=seller_id,
                                                       fulfilment=fulfilment, option=option)
        await uow.commit()
    return ref.cart_id


async def place(db: Database, provider: TestPaymentProvider, buyer: Principal, cart_id: int, *,
                key: str | None = None, token: str = "tok_visa", expected_total: Money | None = None,
                limits: ordering.CartLimits = LIMITS) -> int:
    async with UnitOfWork(db) as uow:
        order_id = await ordering.place_order(uow.session, buyer, provider, cart_id=cart_id,
                                              idempotency_key=uuid.uuid4().hex if key is None else key, payment_token=token,
                                              expected_total=expected_total, limits=limits)
        await uow.commit()
    return order_id


async def state(db: Database) -> dict:
    """Everything a refused checkout must leave as it was."""
    queries = {
        "orders": "SELECT * FROM orders ORDER BY id",
        "shipments": "SELECT * FROM shipments ORDER BY id",
        "order_lines": "SELECT * FROM order_lines ORDER BY id",
        "order_events": "SELECT * FROM order_events ORDER BY id",
        "stock": "SELECT id, quantity, updated_at FROM offers ORDER BY id",
        "payments": "SELECT * FROM payments ORDER BY id",
        "payment_transactions": "SELECT * FROM payment_transactions ORDER BY id",
        "jobs": "SELECT id, kind, payload FROM jobs ORDER BY id",
        "carts": "SELECT * FROM carts ORDER BY id",
        "cart_lines": "SELECT * FROM cart_lines ORDER BY id",
        "idempotency_keys": "SELECT * FROM idempotency_keys ORDER BY scope, key",
        "ledger": "SELECT * FROM seller_ledger_entries ORDER BY id",
    }
    return {name: [dict(r) for r in await fetch(db, sql)] for name, sql in queries.items()}
