"""Cart use cases, as the API and other contexts call them: create, add/change/remove lines, ship
to an address, bill to an address, choose delivery, merge a guest cart into the customer's at
sign-in; and the reads. What a cart shows is computed in `view` (prices and problems),
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
  cannot be added (OFFER_UNAVAILABLE); at most `lines_per_cart` lines (CART_FULL). Adding an
  offer already in the cart adds to its quantity.
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

from domain.carts import delivery, estimates, repository, view
from domain.carts.entities import (
    CART_CURRENCY,
    CartLimits,
    CartLineView,
    CartRecord,
    CartView,
    ShippingAddress,
    check_quantity,
    check_stock,
    hash_token,
    is_digital,
)
from domain.carts.errors import OrderingErrorCode
from domain.carts.statuses import CartStatus
from domain.catalogue import service as catalogue
from domain.identity import service as identity
from domain.marketplace import service as marketplace
from domain.shared.db import Reader, SessionReader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.principal import Principal

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True, slots=True)
class LineRequest:
    offer_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class LineChange:
    line_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class CartRef:
    """Which cart a use case changed; `token` only for a guest cart just created (shown once)."""

    cart_id: int
    token: str | None = None


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The customer's cart after a merge: how many guest lines went into it, how many of those
    were capped at the per-order limit, and how many did not fit (the cart was full)."""

    cart_id: int
    merged_lines: int
    capped_lines: int
    skipped_lines: int


def _no_cart() -> NotFound:
    return NotFound("No such cart, or it is not yours (a guest cart needs its cartToken).", field=["input", "cartId"])


async def _load(db, cart_id: int) -> CartRecord:
    return (await repository.carts_by_ids(db, [cart_id]))[cart_id]


async def _open(session: AsyncSession, principal: Principal, cart_id: int, token: str | None) -> CartRecord:
    """The cart, locked until commit, if the caller may change it."""
    if token is not None and len(token) > MAX_TOKEN_LENGTH:
        raise _no_cart()
    if not await repository.lock(session, cart_id):
        raise _no_cart()
    cart = await _load(SessionReader(session), cart_id)
    if not cart.usable_by(principal, token):
        raise _no_cart()
    cart.ensure_active()
    return cart


def _requests(lines: Sequence[LineRequest], limits: CartLimits) -> dict[int, tuple[int, int]]:
    """{offer id: (quantity, index of its first input line)}; the same offer twice adds up."""
    if len(lines) > limits.lines_per_cart:
        raise DomainError(f"A cart holds at most {limits.lines_per_cart} lines.", code=OrderingErrorCode.CART_FULL,
                          field=["input", "lines"])
    wanted: dict[int, tuple[int, int]] = {}
    for index, line in enumerate(lines):
        check_quantity(line.quantity, limits, ["input", "lines", str(index), "quantity"])
        before = wanted.get(line.offer_id)
        wanted[line.offer_id] = (line.quantity + (before[0] if before else 0), before[1] if before else index)
    return wanted


async def _add(session: AsyncSession, db, cart: CartRecord, wanted: dict[int, tuple[int, int]],
               limits: CartLimits) -> None:
    offers = await marketplace.offers_by_ids(db, sorted(wanted))
    products = await catalogue.products_by_ids(db, sorted({o.product_id for o in offers.values()}))
    new_lines = sum(1 for offer_id in wanted if cart.line_for_offer(offer_id) is None)
    if len(cart.lines) + new_lines > limits.lines_per_cart:
        raise DomainError(f"A cart holds at most {limits.lines_per_cart} lines; remove some first.",
                          code=OrderingErrorCode.CART_FULL, field=["input", "lines"])
    plan = []
    for offer_id, (quantity, index) in wanted.items():
        path = ["input", "lines", str(index)]
        offer = offers.get(offer_id)
        product = products.get(offer.product_id) if offer is not None else None
        if offer is None or product is None:
            raise DomainError("This offer is not available: it does not exist, was withdrawn, or its seller is"
                              " suspended.", code=OrderingErrorCode.OFFER_UNAVAILABLE, field=[*path, "offerId"])
        if offer.currency != cart.currency:
            raise DomainError(f"This cart is in {cart.currency}; the offer is priced in {offer.currency}.",
                              code=OrderingErrorCode.CURRENCY_MISMATCH, field=[*path, "offerId"])
        existing = cart.line_for_offer(offer_id)
        total = quantity + (existing.quantity if existing is not None else 0)
        check_quantity(total, limits, [*path, "quantity"])
        check_stock(offer, product, total, [*path, "quantity"])
        plan.append((existing, offer, total))
    for existing, offer, total in plan:
        if existing is not None:
            await repository.set_line(session, existing.id, total, offer.price_minor)
        else:
            await repository.insert_line(session, cart.id, offer.id, offer.product_id, offer.seller_id, total,
                                         offer.price_minor, offer.currency)


async def _settle(session: AsyncSession, db, cart_id: int) -> None:
    """After a change: drop delivery choices that no longer apply, and stamp the cart."""
    cart = await _load(db, cart_id)
    if cart.selections:
        (current,) = await view.build(db, [cart])
        live = {g.key for g in current.shipment_groups if g.notice is None}
        await repository.delete_selections(session, cart_id, [k for k in cart.selections if k not in live])
    await repository.touch(session, cart_id)


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
        await _add(session, db, await _load(db, cart_id), wanted, limits)
        await _settle(session, db, cart_id)
    return CartRef(cart_id, token)


async def add_cart_lines(session: AsyncSession, principal: Principal, cart_id: int, token: str | None,
                    lines: Sequence[LineRequest], limits: CartLimits) -> CartRef:
    """Adds offers to the cart (to a line's quantity when the offer is in it already)."""
    if not lines:
        raise InvalidInput("Give at least one line to add.", field=["input", "lines"])
    wanted = _requests(lines, limits)
    cart = await _open(session, principal, cart_id, token)
    db = SessionReader(session)
    await _add(session, db, cart, wanted, limits)
    await _settle(session, db, cart.id)
    return CartRef(cart.id)


async def update_cart_lines(session: AsyncSession, principal: Principal, cart_id: int, token: str | None,
                       changes: Sequence[LineChange], limits: CartLimits) -> CartRef:
    """Sets the quantity of lines of the cart (1 up to the limit; remove a line with
    `remove_lines`). A line whose offer is no longer available can only be removed."""
    if not changes:
        raise InvalidInput("Give at least one line to change.", field=["input", "lines"])
    cart = await _open(session, principal, cart_id, token)
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
        targets.append((line, change.quantity, path))
    db = SessionReader(session)
    offers = await marketplace.offers_by_ids(db, sorted({line.offer_id for line, _, _ in targets}))
    products = await catalogue.products_by_ids(db, sorted({line.product_id for line, _, _ in targets}))
    for line, quantity, path in targets:
        offer, product = offers.get(line.offer_id), products.get(line.product_id)
        if offer is None or product is None:
            raise DomainError("This offer is no longer available; remove the line instead.",
                              code=OrderingErrorCode.OFFER_UNAVAILABLE, field=[*path, "lineId"])
        check_stock(offer, product, quantity, [*path, "quantity"])
    for line, quantity, _ in targets:
        await repository.set_line(session, line.id, quantity, offers[line.offer_id].price_minor)
    await _settle(session, db, cart.id)
    return CartRef(cart.id)


async def remove_cart_lines(session: AsyncSession, principal: Principal, cart_id: int, token: str | None,
                       line_ids: Sequence[int]) -> CartRef:
    """Removes lines from the cart (every id must be a line of it)."""
    if not line_ids:
        raise InvalidInput("Give at least one line to remove.", field=["input", "lineIds"])
    cart = await _open(session, principal, cart_id, token)
    for index, line_id in enumerate(line_ids):
        if cart.line(line_id) is None:
            raise NotFound("No such line in this cart.", field=["input", "lineIds", str(index)])
    await repository.delete_lines(session, sorted(set(line_ids)))
    await _settle(session, SessionReader(session), cart.id)
    return CartRef(cart.id)


def _nested(error: DomainError, under: str) -> DomainError:
    """An address error as the inline address of the input has it (input.address.<field>)."""
    if error.field and error.field[0] == "input":
        error.field = ["input", under, *error.field[1:]]
    return error


async def _address_copy(db, principal: Principal, address_id: int | None,
                        address: identity.AddressFields | None) -> ShippingAddress:
    """A copy of one of the caller's addresses (`address_id`; another account's is NOT_FOUND) or
    of an address given inline, checked by the identity context's rules for its country
    (ADDRESS_INVALID, COUNTRY_NOT_SUPPORTED). The caller checked that exactly one is given."""
    if address_id is not None:
        found = (await identity.addresses_by_ids(db, principal, [address_id])).get(address_id)
        if found is None or found.account_id != principal.account_id:
            raise NotFound("No such address in your address book.", field=["input", "addressId"])
        checked = found
    else:
        try:
            checked = identity.validate_address(address)
        except DomainError as error:
            raise _nested(error, "address") from None
    return ShippingAddress(checked.full_name, checked.line1, checked.line2, checked.city, checked.region,
                           checked.postal_code, checked.country_code, checked.phone, address_id)


async def set_cart_shipping_address(session: AsyncSession, principal: Principal, cart_id: int, token: str | None, *,
                               address_id: int | None = None,
                               address: identity.AddressFields | None = None) -> CartRef:
    """Ships the cart to a copy of one of the caller's addresses or of an address given inline
    (see `_address_copy`); give exactly one (INVALID otherwise)."""
    if (address_id is None) == (address is None):
        raise InvalidInput("Give exactly one of addressId and address.", field=["input"])
    cart = await _open(session, principal, cart_id, token)
    db = SessionReader(session)
    copy = await _address_copy(db, principal, address_id, address)
    await repository.set_shipping_address(session, cart.id, copy)
    await _settle(session, db, cart.id)
    return CartRef(cart.id)


async def set_cart_billing_address(session: AsyncSession, principal: Principal, cart_id: int, token: str | None, *,
                              address_id: int | None = None,
                              address: identity.AddressFields | None = None) -> CartRef:
    """Bills the cart to a copy of one of the caller's addresses or of an address given inline
    (see `_address_copy`); give exactly one (INVALID otherwise). A cart of digital items only
    is taxed there (see `tax`)."""
    if (address_id is None) == (address is None):
        raise InvalidInput("Give exactly one of addressId and address.", field=["input"])
    cart = await _open(session, principal, cart_id, token)
    copy = await _address_copy(SessionReader(session), principal, address_id, address)
    await repository.set_billing_address(session, cart.id, copy)
    return CartRef(cart.id)


async def select_cart_delivery_option(session: AsyncSession, principal: Principal, cart_id: int, token: str | None, *,
                                 seller_id: int, fulfilment: str, option: str,
                                 pickup_location_id: int | None = None) -> CartRef:
    """Chooses how one shipment group (a seller and a fulfilment) of the cart travels; the
    option must be available for it now (see `delivery`)."""
    cart = await _open(session, principal, cart_id, token)
    db = SessionReader(session)
    (current,) = await view.build(db, [cart])
    group = next((g for g in current.shipment_groups if g.key == (seller_id, fulfilment)), None)
    if group is None:
        raise NotFound("The cart has nothing to deliver from this seller with this fulfilment.",
                       field=["input", "sellerId"])
    selection = delivery.check_choice(group.options, option, pickup_location_id)
    await repository.select_delivery(session, cart.id, seller_id, fulfilment, selection)
    await repository.touch(session, cart.id)
    return CartRef(cart.id)


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
    await _settle(session, db, target_id)
    return MergeResult(target_id, merged, capped, skipped)


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
