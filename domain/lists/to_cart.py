"""Moving a list's items (some, or all of them) to the caller's cart.

Each item goes in as its product's featured offer (the buy box: the offer the product page puts
first), through the cart's own use case, so the cart's rules and its non-blocking problems
(price changed, already owned...) are the cart's, reported on the cart as always. What cannot
go in is left on the list and reported, not refused: a product nobody offers new and in stock
now (NO_OFFER), a membership plan (NOT_SOLD_IN_CART), a digital title already in the cart
(ALREADY_IN_CART). A physical item's quantity is cut to what the offer has in stock and the
per-line limit. What the cart itself refuses (a full cart) refuses the whole move: nothing is
written. Moved items leave the list unless `keep_in_list`; a shopping list's moved items are
kept and checked off instead (the household sees they are bought), and moving a whole shopping
list moves only its items not checked off."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts import service as carts
from domain.carts.entities import is_digital
from domain.catalogue import service as catalogue
from domain.lists.access import next_seq, open_list
from domain.lists.errors import ListErrorCode
from domain.lists.statuses import MoveSkipReason
from domain.lists.writes import recount
from domain.marketplace import service as marketplace
from domain.shared.db import SessionReader
from domain.shared.errors import NotFound
from domain.shared.principal import Principal


@dataclass(slots=True)
class MoveResult:
    list_id: int
    cart_id: int | None
    moved_item_ids: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


async def move_list_items_to_cart(session: AsyncSession, principal: Principal, limits: carts.CartLimits,
                                  list_id: int, item_ids: Sequence[int] | None, keep_in_list: bool = False
                                  ) -> MoveResult:
    """Moves the named items (every live item when `item_ids` is None) of a list the caller may
    change into their cart (made when they have none). See the module for the rules."""
    lst = await open_list(session, principal, list_id)
    # A whole shopping list moves what is still to buy: checked-off items are in the trolley (or
    # were moved already), so moving the list twice never doubles the cart.
    rows = (await session.execute(text(
        "SELECT id, product_id, quantity FROM list_items WHERE list_id = :l AND removed_at IS NULL"
        " AND (CAST(:i AS bigint[]) IS NULL OR id = ANY(CAST(:i AS bigint[])))"
        " AND NOT (CAST(:i AS bigint[]) IS NULL AND :shopping AND checked) ORDER BY id"),
        {"l": list_id, "i": None if item_ids is None else list(item_ids), "shopping": lst.is_shopping})).all()
    if item_ids is not None:
        found = {r.id for r in rows}
        for index, item_id in enumerate(item_ids):
            if item_id not in found:
                raise NotFound("No such item on this list.", code=ListErrorCode.NOT_FOUND,
                               field=["input", "itemIds", str(index)])
    result = MoveResult(list_id, None)
    db = SessionReader(session)
    product_ids = sorted({r.product_id for r in rows})
    offers = await marketplace.offer_summaries(db, product_ids)
    products = await catalogue.products_by_ids(db, product_ids)
    cart = await carts.find_cart(db, principal)
    in_cart = {line.offer_id for line in cart.lines} if cart is not None else set()
    lines, moved = [], []
    for row in rows:
        summary, product = offers.get(row.product_id), products.get(row.product_id)
        offer = summary.featured if summary is not None else None
        if product is not None and product.kind == "MEMBERSHIP":
            result.skipped.append((row.id, MoveSkipReason.NOT_SOLD_IN_CART))
        elif offer is None or product is None or offer.currency != carts.CART_CURRENCY:
            result.skipped.append((row.id, MoveSkipReason.NO_OFFER))
        elif is_digital(product) and offer.id in in_cart:
            result.skipped.append((row.id, MoveSkipReason.ALREADY_IN_CART))
        else:
            quantity = 1 if is_digital(product) else min(row.quantity, offer.quantity, limits.quantity_per_line)
            lines.append(carts.LineRequest(offer.id, quantity))
            moved.append(row.id)
    if lines:
        ref = await carts.create_cart(session, principal, lines, limits)
        result.cart_id = ref.cart_id
    elif cart is not None:
        result.cart_id = cart.id
    result.moved_item_ids = moved
    if moved and not keep_in_list:
        seq = await next_seq(session, list_id)
        if lst.is_shopping:
            await session.execute(text(
                "UPDATE list_items SET checked = true, checked_at = now(), checked_seq = :s, seq = :s,"
                " updated_at = now() WHERE id = ANY(CAST(:i AS bigint[])) AND NOT checked"), {"i": moved, "s": seq})
        else:
            await session.execute(text(
                "UPDATE list_items SET removed_at = now(), seq = :s, updated_at = now()"
                " WHERE id = ANY(CAST(:i AS bigint[]))"), {"i": moved, "s": seq})
            await recount(session, list_id)
    return result
