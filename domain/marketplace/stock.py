"""Taking units out of offers' stock when an order is placed, and putting them back when it is
cancelled.

Reserving never oversells: each offer's quantity goes down in one conditional UPDATE
(`quantity >= wanted`), whose row lock makes concurrent buyers of the same offer take turns;
the second buyer of the last unit finds the condition false and gets QUANTITY_UNAVAILABLE.

No deadlock between orders locking several offers: every caller locks the offers' products
first (in product id order, as every marketplace write does before touching offers, see
`derived`), then the offers in offer id order, whatever order the cart lists them in. When an
offer runs out (or comes back), the product's search facts (in stock, lowest price, Prime)
are refreshed in the same transaction.
"""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events.kinds import EventKind
from domain.events.outbox import publish
from domain.marketplace import derived
from domain.marketplace.errors import StockErrorCode
from domain.shared.errors import DomainError

_TAKE = text(
    "UPDATE offers o SET quantity = o.quantity - :wanted, updated_at = now() FROM sellers s"
    " WHERE o.id = :id AND s.id = o.seller_id AND o.archived_at IS NULL AND s.standing <> 'SUSPENDED'"
    " AND o.quantity >= :wanted RETURNING o.quantity, o.seller_id")
_PUT_BACK = text("UPDATE offers SET quantity = quantity + :count, updated_at = now() WHERE id = :id"
                 " RETURNING quantity")
_STATE = text(
    "SELECT o.quantity, o.archived_at IS NULL AND s.standing <> 'SUSPENDED' AS live"
    " FROM offers o JOIN sellers s ON s.id = o.seller_id WHERE o.id = :id")


class StockUnavailable(DomainError):
    """An offer has fewer units than asked for (`available` says how many it has)."""

    code = StockErrorCode.QUANTITY_UNAVAILABLE


class OfferUnavailable(DomainError):
    """The offer was withdrawn or its seller suspended."""

    code = StockErrorCode.OFFER_UNAVAILABLE


async def _products_of(session: AsyncSession, offer_ids: list[int]) -> dict[int, int]:
    rows = (await session.execute(text("SELECT id, product_id FROM offers WHERE id = ANY(CAST(:ids AS bigint[]))"),
                                  {"ids": offer_ids})).all()
    return {r.id: r.product_id for r in rows}


async def reserve(session: AsyncSession, quantities: Mapping[int, int],
                  fields: Mapping[int, list[str]] | None = None) -> None:
    """Takes `quantities` ({offer id: units}) out of stock, all or nothing (the caller's
    transaction rolls back on the error). Raises QUANTITY_UNAVAILABLE (extensions:
    `availableQuantity`, `offerId`) or OFFER_UNAVAILABLE for the first offer that cannot give
    its units; `fields` names the input field to blame per offer."""
    wanted = {offer_id: count for offer_id, count in quantities.items() if count > 0}
    if not wanted:
        return
    product_of = await _products_of(session, sorted(wanted))
    await derived.lock_products(session, product_of.values())
    ran_out: list[int] = []
    for offer_id in sorted(wanted):
        field = (fields or {}).get(offer_id)
        if offer_id not in product_of:
            raise OfferUnavailable("This offer no longer exists.", field=field, extensions={"offerId": offer_id})
        taken = (await session.execute(_TAKE, {"id": offer_id, "wanted": wanted[offer_id]})).first()
        if taken is None:
            state = (await session.execute(_STATE, {"id": offer_id})).one()
            if not state.live:
                raise OfferUnavailable("This offer is no longer available: the seller withdrew it or no longer"
                                       " sells here.", field=field, extensions={"offerId": offer_id})
            message = (f"Only {state.quantity} left from this seller; asked for {wanted[offer_id]}." if state.quantity
                       else "This offer sold out.")
            raise StockUnavailable(message, field=field,
                                   extensions={"availableQuantity": state.quantity, "offerId": offer_id})
        if taken.quantity == 0:
            ran_out.append(product_of[offer_id])
            # Integrations (the seller's webhooks) hear of it in the transaction that sold the last unit.
            await publish(session, EventKind.OFFER_OUT_OF_STOCK, offer_id, seller_ids=[taken.seller_id],
                          data={"productId": product_of[offer_id]})
    await derived.refresh_search(session, ran_out)


async def release(session: AsyncSession, quantities: Mapping[int, int]) -> None:
    """Puts units back into stock ({offer id: units}), e.g. for a cancelled order; an archived
    offer gets them back too (its stock no longer shows anywhere)."""
    back = {offer_id: count for offer_id, count in quantities.items() if count > 0}
    if not back:
        return
    product_of = await _products_of(session, sorted(back))
    await derived.lock_products(session, product_of.values())
    restocked = []
    for offer_id in sorted(back):
        now = (await session.execute(_PUT_BACK, {"id": offer_id, "count": back[offer_id]})).scalar_one()
        if now == back[offer_id]:
            restocked.append(product_of[offer_id])
    await derived.refresh_search(session, restocked)
