"""Cart use cases, as the API and other contexts call them: create, add/change/remove lines (here),
ship to an address, bill to an address and choose delivery (`addresses`), merge a guest cart into
the customer's at sign-in (`merge`); and the reads. Each opens its cart through `access`. What a cart shows is computed in `view` (prices and problems),
`delivery` (options per shipment group), `tax` and `pricing` (totals); the product page's
delivery estimate (`estimates`) follows the same rules without a cart.

Rules:
- A cart is a customer's (one ACTIVE cart per account) or a guest's: the guest gets an opaque
  token once (only its SHA-256 is stored) and every call on the cart presents it. A customer's
  cart is its owner's alone; anyone else, administrators included, gets NOT_FOUND from the
  mutations (administrators may read carts through `node`).
- Only an ACTIVE cart changes (CART_NOT_ACTIVE for a merged or ordered one).
- A line is an offer and a quantity of 1 up to the per-order limit (INVALID_QUANTITY,
  QUANTITY_LIMIT); physical items no more than the offer's stock (QUANTITY_UNAVAILABLE with the
  quantity available); withdrawn offers, offers of suspended sellers and withdrawn products
  cannot be added (OFFER_UNAVAILABLE); a membership plan is not sold through the cart
  (MEMBERSHIP_NOT_SOLD_IN_CART: joining is its own mutation, `joinPrime`); at most
  `lines_per_cart` lines (CART_FULL). Adding an offer already in the cart adds to its
  quantity. A title the customer owns already may be added: the line shows ALREADY_OWNED
  and placing the order refuses it.
- A line of a Subscribe & Save product may be a subscription, every 1 to 6 months
  (INVALID_FREQUENCY; NOT_SUBSCRIBE_ELIGIBLE for other products): it is priced at the
  Subscribe & Save discount with free delivery, and placing the order subscribes (its first
  delivery is that order).
- The price a line remembers ("price when added") is the price when it was last added or its
  quantity changed: the customer saw that price then.
- After lines or the address change, delivery choices that no longer apply are dropped.
- Every use case runs in the caller's transaction and checks everything before it writes, so a
  refused call changes nothing.
"""
from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts import addresses, estimates, merge, repository, view
from domain.carts.access import MAX_TOKEN_LENGTH, CartRef, load, open_cart, settle
from domain.carts.entities import (
    CART_CURRENCY,
    CartLimits,
    CartLineView,
    CartRecord,
    CartView,
    check_quantity,
    check_stock,
    hash_token,
)
from domain.carts.errors import OrderingErrorCode
from domain.catalogue import service as catalogue
from domain.catalogue.statuses import ProductKind
from domain.marketplace import service as marketplace
from domain.shared.db import Reader, SessionReader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.principal import Principal
from domain.subscriptions import service as subscriptions

TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class LineRequest:
    offer_id: int
    quantity: int
    # Subscribe & Save: months between deliveries; None adds a one-time purchase (or keeps an
    # existing line's choice).
    frequency_months: int | None = None


# A LineChange that leaves the line's Subscribe & Save choice as it is.
KEEP = object()


@dataclass(frozen=True, slots=True)
class LineChange:
    line_id: int
    quantity: int
    # Months between deliveries, None for a one-time purchase, KEEP to leave it.
    frequency_months: object = KEEP




def _requests(lines: Sequence[LineRequest], limits: CartLimits) -> dict[int, tuple[int, int, int | None]]:
    """{offer id: (quantity, index of its first input line, frequency)}; the same offer twice
    adds up (the last frequency given wins)."""
    if len(lines) > limits.lines_per_cart:
        raise DomainError(f"A cart holds at most {limits.lines_per_cart} lines.", code=OrderingErrorCode.CART_FULL,
                          field=["input", "lines"])
    wanted: dict[int, tuple[int, int]] = {}
    for index, line in enumerate(lines):
        check_quantity(line.quantity, limits, ["input", "lines", str(index), "quantity"])
        if line.frequency_months is not None:
            _check_frequency(line.frequency_months, ["input", "lines", str(index), "subscription", "frequencyMonths"])
        before = wanted.get(line.offer_id)
        frequency = line.frequency_months if line.frequency_months is not None else (before[2] if before else None)
        wanted[line.offer_id] = (line.quantity + (before[0] if before else 0), before[1] if before else index,
                                 frequency)
    return wanted


def _check_frequency(frequency_months, field: list[str]) -> None:
    allowed = subscriptions.sns_pricing.FREQUENCIES
    if not isinstance(frequency_months, int) or frequency_months not in allowed:
        raise DomainError(f"Subscribe & Save deliveries come every {allowed[0]} to {allowed[-1]} months;"
                          f" got {frequency_months}.",
                          code=OrderingErrorCode.INVALID_FREQUENCY, field=field)


def _check_subscribable(product, frequency_months, path: list[str]) -> None:
    if frequency_months is not None and not product.subscribe_eligible:
        raise DomainError("This product cannot be subscribed to: Subscribe & Save is for everyday consumables"
                          " (grocery and household). Add it without `subscription`.",
                          code=OrderingErrorCode.NOT_SUBSCRIBE_ELIGIBLE, field=[*path, "subscription"])


async def _add(session: AsyncSession, db, cart: CartRecord, wanted: dict[int, tuple[int, int, int | None]],
               limits: CartLimits) -> None:
    offers = await marketplace.offers_by_ids(db, sorted(wanted))
    products = await catalogue.products_by_ids(db, sorted({o.product_id for o in offers.values()}))
    new_lines = sum(1 for offer_id in wanted if cart.line_for_offer(offer_id) is None)
    if len(cart.lines) + new_lines > limits.lines_per_cart:
        raise DomainError(f"A cart holds at most {limits.lines_per_cart} lines; remove some first.",
                          code=OrderingErrorCode.CART_FULL, field=["input", "lines"])
    plan = []
    for offer_id, (quantity, index, frequency) in wanted.items():
        path = ["input", "lines", str(index)]
        offer = offers.get(offer_id)
        product = products.get(offer.product_id) if offer is not None else None
        if offer is None or product is None:
            raise DomainError("This offer is not available: it does not exist, was withdrawn, or its seller is"
                              " suspended.", code=OrderingErrorCode.OFFER_UNAVAILABLE, field=[*path, "offerId"])
        if product.kind == ProductKind.MEMBERSHIP:
            raise DomainError("A membership is not bought through the cart: join with the joinPrime mutation.",
                              code=OrderingErrorCode.MEMBERSHIP_NOT_SOLD_IN_CART, field=[*path, "offerId"])
        if offer.currency != cart.currency:
            raise DomainError(f"This cart is in {cart.currency}; the offer is priced in {offer.currency}.",
                              code=OrderingErrorCode.CURRENCY_MISMATCH, field=[*path, "offerId"])
        existing = cart.line_for_offer(offer_id)
        total = quantity + (existing.quantity if existing is not None else 0)
        check_quantity(total, limits, [*path, "quantity"])
        check_stock(offer, product, total, [*path, "quantity"])
        _check_subscribable(product, frequency, path)
        plan.append((existing, offer, total, frequency))
    for existing, offer, total, frequency in plan:
        if existing is not None:
            await repository.set_line(session, existing.id, total, offer.price_minor)
            if frequency is not None:
                await repository.set_line_subscription(session, existing.id, frequency)
        else:
            await repository.insert_line(session, cart.id, offer.id, offer.product_id, offer.seller_id, total,
                                         offer.price_minor, offer.currency, frequency)


async def create_cart(session: AsyncSession, principal: Principal, lines: Sequence[LineRequest],
                 limits: CartLimits) -> CartRef:
    """A signed-in customer gets their ACTIVE cart (created when they have none) with the lines
    added; anyone else a new guest cart and its token, shown only in this answer."""
    wanted = _requests(lines, limits)
    token = None
    if principal.signed_in:
        cart_id = await repository.lock_or_create_customer_cart(session, principal.account_id, CART_CURRENCY)
    else:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        cart_id = await repository.create_guest_cart(session, hash_token(token), CART_CURRENCY)
    if wanted:
        db = SessionReader(session)
        await _add(session, db, await load(db, cart_id), wanted, limits)
        await settle(session, db, cart_id)
    return CartRef(cart_id, token)


async def add_cart_lines(session: AsyncSession, principal: Principal, cart_id: int, token: str | None,
                    lines: Sequence[LineRequest], limits: CartLimits) -> CartRef:
    """Adds offers to the cart (to a line's quantity when the offer is in it already)."""
    if not lines:
        raise InvalidInput("Give at least one line to add.", field=["input", "lines"])
    wanted = _requests(lines, limits)
    cart = await open_cart(session, principal, cart_id, token)
    db = SessionReader(session)
    await _add(session, db, cart, wanted, limits)
    await settle(session, db, cart.id)
    return CartRef(cart.id)


async def update_cart_lines(session: AsyncSession, principal: Principal, cart_id: int, token: str | None,
                       changes: Sequence[LineChange], limits: CartLimits) -> CartRef:
    """Sets the quantity of lines of the cart (1 up to the limit; remove a line with
    `remove_lines`). A line whose offer is no longer available can only be removed."""
    if not changes:
        raise InvalidInput("Give at least one line to change.", field=["input", "lines"])
    cart = await open_cart(session, principal, cart_id, token)
    seen: set[int] = set()
    targets = []
    for index, change in enumerate(changes):
        path = ["input", "lines", str(index)]
        line = cart.line(change.line_id)
        if line is None:
            raise NotFound("No such line in this cart.", field=[*path, "lineId"])
        if line.id in seen:
            raise InvalidInput("Each line may appear once.", field=[*path, "lineId"])
        seen.add(line.id)
        check_quantity(change.quantity, limits, [*path, "quantity"])
        if change.frequency_months is not KEEP and change.frequency_months is not None:
            _check_frequency(change.frequency_months, [*path, "subscription", "frequencyMonths"])
        targets.append((line, change.quantity, path, change.frequency_months))
    db = SessionReader(session)
    offers = await marketplace.offers_by_ids(db, sorted({line.offer_id for line, *_ in targets}))
    products = await catalogue.products_by_ids(db, sorted({line.product_id for line, *_ in targets}))
    for line, quantity, path, frequency in targets:
        offer, product = offers.get(line.offer_id), products.get(line.product_id)
        if offer is None or product is None:
            raise DomainError("This offer is no longer available; remove the line instead.",
                              code=OrderingErrorCode.OFFER_UNAVAILABLE, field=[*path, "lineId"])
        check_stock(offer, product, quantity, [*path, "quantity"])
        if frequency is not KEEP:
            _check_subscribable(product, frequency, path)
    for line, quantity, _, frequency in targets:
        await repository.set_line(session, line.id, quantity, offers[line.offer_id].price_minor)
        if frequency is not KEEP:
            await repository.set_line_subscription(session, line.id, frequency)
    await settle(session, db, cart.id)
    return CartRef(cart.id)


async def remove_cart_lines(session: AsyncSession, principal: Principal, cart_id: int, token: str | None,
                       line_ids: Sequence[int]) -> CartRef:
    """Removes lines from the cart (every id must be a line of it)."""
    if not line_ids:
        raise InvalidInput("Give at least one line to remove.", field=["input", "lineIds"])
    cart = await open_cart(session, principal, cart_id, token)
    for index, line_id in enumerate(line_ids):
        if cart.line(line_id) is None:
            raise NotFound("No such line in this cart.", field=["input", "lineIds", str(index)])
    await repository.delete_lines(session, sorted(set(line_ids)))
    await settle(session, SessionReader(session), cart.id)
    return CartRef(cart.id)


# Where the cart ships and is billed, and the guest-cart merge, live in their own modules.
set_cart_shipping_address = addresses.set_cart_shipping_address
set_cart_billing_address = addresses.set_cart_billing_address
select_cart_delivery_option = addresses.select_cart_delivery_option
MergeResult = merge.MergeResult
merge_guest_cart = merge.merge_guest_cart


# Reads ------------------------------------------------------------------------------------

async def find_cart(reader: Reader, principal: Principal, *, cart_id: int | None = None,
                    token: str | None = None) -> CartView | None:
    """A cart by id (its owner, the holder of its token, or an administrator), by token alone
    (a guest cart), or, with neither, the signed-in customer's active cart. None when there is
    no such cart or the caller may not see it."""
    if token is not None and len(token) > MAX_TOKEN_LENGTH:
        return None
    if cart_id is not None:
        record = (await repository.carts_by_ids(reader, [cart_id])).get(cart_id)
    elif token is not None:
        record = await repository.cart_by_token_hash(reader, hash_token(token))
    elif principal.signed_in:
        record = await repository.active_cart_of(reader, principal.account_id)
    else:
        return None
    if record is None or not record.readable_by(principal, token):
        return None
    return (await view.build(reader, [record]))[0]


async def cart_lines_by_ids(reader: Reader, principal: Principal, ids: list[int]) -> dict[int, CartLineView]:
    """Cart lines by id for `node`, as their carts show them: the lines of the carts `carts_by_ids`
    gives the caller."""
    rows = await reader.fetch("SELECT id, cart_id FROM cart_lines WHERE id = ANY($1::bigint[])", list(ids))
    visible = await carts_by_ids(reader, principal, sorted({r["cart_id"] for r in rows}))
    wanted = {r["id"] for r in rows}
    return {line.id: line for cart in visible.values() for line in cart.lines if line.id in wanted}


async def carts_by_ids(reader: Reader, principal: Principal, ids: list[int]) -> dict[int, CartView]:
    """Carts by id for `node`: the owner's own carts, and any cart for an administrator."""
    records = [r for r in (await repository.carts_by_ids(reader, ids)).values() if r.readable_by(principal, None)]
    return {v.id: v for v in await view.build(reader, records)}


# Pickup locations by id, for a shipment that names one.
pickup_locations_by_ids = repository.pickup_locations_by_ids

# Delivery estimates without a cart (`estimates`): the product page's "arrives by".
DeliveryLocation = estimates.Location
delivery_location = estimates.location
delivery_context = estimates.delivery_context
delivery_estimate = estimates.estimate
needs_delivery = estimates.needs_delivery
