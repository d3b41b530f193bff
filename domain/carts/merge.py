"""Moving a guest cart into the customer's cart at sign-in."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts import repository
from domain.carts.access import MAX_TOKEN_LENGTH, settle
from domain.carts.entities import CART_CURRENCY, CartLimits, hash_token, is_digital
from domain.carts.statuses import CartStatus
from domain.catalogue import service as catalogue
from domain.shared.db import SessionReader
from domain.shared.errors import NotFound
from domain.shared.principal import Principal


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The customer's cart after a merge: how many guest lines went into it, how many of those
    were capped at the per-order limit, and how many did not fit (the cart was full)."""

    cart_id: int
    merged_lines: int
    capped_lines: int
    skipped_lines: int


async def merge_guest_cart(session: AsyncSession, principal: Principal, token: str, limits: CartLimits) -> MergeResult:
    """Moves a guest cart into the signed-in customer's cart (created when they have none):
    quantities of an offer in both add up to the per-order limit, a shipping address, a billing
    address and delivery choices carry over where the customer's cart has none, and the guest
    cart becomes MERGED. Merging the same guest cart again returns the customer's cart unchanged. A digital
    title in both carts stays one unit."""
    account_id = principal.require_signed_in()
    if len(token) > MAX_TOKEN_LENGTH:
        raise NotFound("No guest cart has this token.", field=["input", "cartToken"])
    # Locks in a fixed order, the customer's cart first, so concurrent merges cannot deadlock.
    target_id = await repository.lock_or_create_customer_cart(session, account_id, CART_CURRENCY)
    guest_id = await repository.lock_by_token_hash(session, hash_token(token))
    if guest_id is None or guest_id == target_id:
        raise NotFound("No guest cart has this token.", field=["input", "cartToken"])
    db = SessionReader(session)
    carts = await repository.carts_by_ids(db, [target_id, guest_id])
    guest, target = carts[guest_id], carts[target_id]
    if guest.status == CartStatus.MERGED:
        if guest.merged_into_id == target_id:
            return MergeResult(target_id, 0, 0, 0)
        raise NotFound("No guest cart has this token.", field=["input", "cartToken"])
    if not guest.is_guest:
        raise NotFound("No guest cart has this token.", field=["input", "cartToken"])
    guest.ensure_active()
    products = await catalogue.products_by_ids(db, sorted({line.product_id for line in guest.lines}))

    def most(line) -> int:
        product = products.get(line.product_id)
        return limits.units_per_line(digital=product is not None and is_digital(product))

    merged = capped = skipped = 0
    count = len(target.lines)
    for line in guest.lines:
        existing = target.line_for_offer(line.offer_id)
        if existing is not None:
            quantity = min(existing.quantity + line.quantity, most(line))
            capped += quantity < existing.quantity + line.quantity
            await repository.set_line(session, existing.id, quantity)
        elif count < limits.lines_per_cart:
            quantity = min(line.quantity, most(line))
            capped += quantity < line.quantity
            await repository.insert_line(session, target_id, line.offer_id, line.product_id, line.seller_id, quantity,
                                         line.unit_price_minor_at_add, line.currency)
            count += 1
        else:
            skipped += 1
            continue
        merged += 1
    if target.shipping_address is None and guest.shipping_address is not None:
        await repository.set_shipping_address(session, target_id, guest.shipping_address)
    if target.billing_address is None and guest.billing_address is not None:
        await repository.set_billing_address(session, target_id, guest.billing_address)
    for (seller_id, fulfilment), selection in guest.selections.items():
        if (seller_id, fulfilment) not in target.selections:
            await repository.select_delivery(session, target_id, seller_id, fulfilment, selection)
    await repository.mark_merged(session, guest_id, target_id)
    await settle(session, db, target_id)
    return MergeResult(target_id, merged, capped, skipped)
