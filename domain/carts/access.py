"""Opening a cart for a use case that changes it, and settling it after the change: shared by
the cart's use cases (`service`, `addresses`, `merge`)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts import repository, view
from domain.carts.entities import CartRecord
from domain.shared.db import SessionReader
from domain.shared.errors import NotFound
from domain.shared.principal import Principal

MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True, slots=True)
class CartRef:
    """Which cart a use case changed; `token` only for a guest cart just created (shown once)."""

    cart_id: int
    token: str | None = None



def no_cart() -> NotFound:
    return NotFound("No such cart, or it is not yours (a guest cart needs its cartToken).", field=["input", "cartId"])


async def load(db, cart_id: int) -> CartRecord:
    return (await repository.carts_by_ids(db, [cart_id]))[cart_id]


async def open_cart(session: AsyncSession, principal: Principal, cart_id: int, token: str | None) -> CartRecord:
    """The cart, locked until commit, if the caller may change it."""
    if token is not None and len(token) > MAX_TOKEN_LENGTH:
        raise no_cart()
    if not await repository.lock(session, cart_id):
        raise no_cart()
    cart = await load(SessionReader(session), cart_id)
    if not cart.usable_by(principal, token):
        raise no_cart()
    cart.ensure_active()
    return cart


async def settle(session: AsyncSession, db, cart_id: int) -> None:
    """After a change: drop delivery choices that no longer apply, and stamp the cart."""
    cart = await load(db, cart_id)
    if cart.selections:
        (current,) = await view.build(db, [cart])
        live = {g.key for g in current.shipment_groups if g.notice is None}
        await repository.delete_selections(session, cart_id, [k for k in cart.selections if k not in live])
    await repository.touch(session, cart_id)
