"""Placing an order: a customer's cart becomes an order, atomically and once per client intent.

Rules (error codes):
- Only signed-in customers place orders (UNAUTHENTICATED otherwise). A guest signs in or
  registers first: the guest cart merges into the customer's cart at sign-in (`mergeGuestCart`),
  and the customer places that cart.
- The call carries a client idempotency key (IDEMPOTENCY_KEY_INVALID when malformed). The
  same key with the same request (cart, payment token, expected total) answers with the
  order the first call placed, without charging or reserving again; the same key with another
  request is IDEMPOTENCY_KEY_REUSED, and a call racing an unfinished one with the same key
  waits for it (IDEMPOTENCY_KEY_IN_PROGRESS if that takes too long). A refused or crashed
  attempt leaves no trace of the key: the retry runs as if it were the first.
- The cart must be the caller's (NOT_FOUND otherwise, also for guest carts) and ACTIVE
  (CART_NOT_ACTIVE: merged, or already ordered). It is repriced now, as the cart view shows
  it, with the membership benefits the customer has now, read in this transaction (member
  prices, free TWO_DAY on Prime-eligible items: a membership that lapsed since the customer
  saw the cart prices the order without them, and a client that sends the total it showed
  gets TOTAL_CHANGED), and refused when it cannot be bought as it stands: CART_EMPTY; a line
  whose offer is no longer sold (OFFER_UNAVAILABLE); a membership plan
  (MEMBERSHIP_NOT_SOLD_IN_CART: join with `joinPrime`); a title the customer owns already
  (ALREADY_OWNED, with `lineId`: it is never charged twice); more units than the per-order limit (QUANTITY_LIMIT) or than
  the seller has (QUANTITY_UNAVAILABLE, with `availableQuantity`); physical items and no
  shipping address (SHIPPING_ADDRESS_REQUIRED); digital items only and neither a billing nor a
  shipping address to tax them at (BILLING_ADDRESS_REQUIRED, see `tax`); a shipment whose chosen delivery option no
  longer applies, e.g. same-day after the city's cut-off (SAME_DAY_UNAVAILABLE or
  DELIVERY_OPTION_UNAVAILABLE: the customer's choice is never switched silently); and, when
  the client says what total it showed, a different total now (TOTAL_CHANGED, with
  `expectedTotal` and `total`). No tax rate for the address is fine: tax is 0.
- The order keeps a copy of the billing address too, when the cart has one.
- Stock of the physical lines (pre-orders included) is reserved all or nothing, in a fixed
  lock order (see `marketplace.reserve_stock`), so racing checkouts never oversell and never
  deadlock; the loser of the last unit gets QUANTITY_UNAVAILABLE.
- The order keeps a snapshot (titles, formats, unit prices, line totals and taxes as the cart
  view computed them, the address, the e-mail) and splits into shipments: one per seller,
  fulfilment and delivery option for physical lines, one DIGITAL shipment per seller for
  digital lines, and pre-ordered lines (release date after today) apart, per seller, kind or
  fulfilment and release date, AWAITING_RELEASE. A group's delivery price goes on its first
  shipment. The shipments' amounts add up to the order's, which equal the cart view's totals.
- The order total is authorized with the payment provider (PAYMENT_DECLINED with
  `declineCode`, PAYMENT_PROVIDER_ERROR): a refusal rolls everything back, nothing is
  reserved or created, and the key with it: the same key may be sent again with another card
  (or, after changing the cart, for another amount) as a new attempt. The provider keys are
  derived from the client's key and the attempt's token and amount (`payment_key`), so a retry
  of the same attempt after a crash gets the provider's first answer instead of a second hold
  or charge, and a retry with another card is not refused as a reused provider key.
- Digital lines (not pre-ordered) are delivered at once: their shipment is DELIVERED and its
  share captured now.
- Subscribe & Save lines (priced at the discount, delivered free) each become a subscription
  whose first delivery is this order, with the order's shipping address and the card saved
  with the provider (`save_payment_method`) for the later deliveries, which the scheduler
  places (`subscription_deliveries`).
- In the same transaction: the order's events (PLACED, PAYMENT_AUTHORIZED...), the
  confirmation e-mail (outbox), and the cart becomes ORDERED.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC

from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts import delivery, tax
from domain.carts import repository as cart_repository
from domain.carts import view as cart_view
from domain.carts.entities import (
    CartLimits,
    CartLineView,
    CartRecord,
    CartView,
    GroupKey,
    Selection,
)
from domain.carts.errors import OrderingErrorCode
from domain.carts.statuses import CartLineProblemCode, CartStatus, DeliveryOptionKind
from domain.idempotency import service as idempotency
from domain.identity import service as identity
from domain.orders import announcements, history, settlement
from domain.orders.order_writer import (
    PlannedShipment,
    line_field,
    send_confirmation,
    shown,
    write_order,
)
from domain.orders.statuses import ShipmentKind, ShipmentStatus
from domain.payments import service as payments
from domain.shared import clock
from domain.shared.db import SessionReader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.money import Money
from domain.shared.principal import Principal
from domain.subscriptions import service as subscriptions

OPERATION = "ordering.placeOrder"
MAX_PAYMENT_TOKEN = 200
MAX_PAYMENT_KEY = 200
CART_FIELD = ["input", "cartId"]


def payment_key(scope: str, key: str, payment_token: str, amount: Money) -> str:
    """The payment's idempotency key for one attempt under a placeOrder key: the same for every
    retry of that attempt, another one when a retry pays with another token or amount. A
    provider binds its key to the first request's token and amount and refuses anything else
    under it; a declined attempt leaves no trace with us, so the customer's retry with another
    card is a new attempt and needs a key of its own. At most 200 characters: a long client key
    is replaced by its SHA-256, and the token is only ever hashed."""
    attempt = hashlib.sha256(f"{payment_token}\n{amount.minor}\n{amount.currency}".encode()).hexdigest()[:16]
    plain = f"placeOrder:{scope}:{key}:{attempt}"
    if len(plain) <= MAX_PAYMENT_KEY:
        return plain
    return f"placeOrder:{scope}:sha256:{hashlib.sha256(key.encode()).hexdigest()}:{attempt}"


_REFUSED = {CartLineProblemCode.MEMBERSHIP_NOT_SOLD_IN_CART: OrderingErrorCode.MEMBERSHIP_NOT_SOLD_IN_CART,
            CartLineProblemCode.ALREADY_OWNED: OrderingErrorCode.ALREADY_OWNED}


def check_lines(view: CartView, limits: CartLimits) -> None:
    """Every line can be bought now: the offer is sold, the quantity within the per-order limit
    and the seller's stock (OFFER_UNAVAILABLE, QUANTITY_LIMIT, QUANTITY_UNAVAILABLE), it is no
    membership plan (MEMBERSHIP_NOT_SOLD_IN_CART) and no title the customer owns already
    (ALREADY_OWNED); the cart is not empty (CART_EMPTY)."""
    if not view.lines:
        raise DomainError("The cart is empty: add something to it first.", code=OrderingErrorCode.CART_EMPTY, field=CART_FIELD)
    for index, line in enumerate(view.lines):
        facts = {"lineId": line.id, "offerId": line.offer_id}
        if not line.purchasable:
            raise DomainError("A line's offer is no longer available (withdrawn, or the seller no longer sells"
                              " here): remove the line or choose another offer.", code=OrderingErrorCode.OFFER_UNAVAILABLE,
                              field=line_field(index, "offer"), extensions=facts)
        refused = next((p for p in line.problems if p.code in _REFUSED), None)
        if refused is not None:
            raise DomainError(refused.message, code=_REFUSED[refused.code], field=line_field(index, "offer"),
                              extensions=facts)
        limit = limits.units_per_line(digital=not line.requires_delivery)
        if line.quantity > limit:
            raise DomainError(f"At most {limit} unit(s) of this offer per order; a line has {line.quantity}.",
                              code=OrderingErrorCode.QUANTITY_LIMIT, field=line_field(index, "quantity"),
                              extensions={**facts, "quantityLimit": limit})
        short = next((p for p in line.problems if p.code == CartLineProblemCode.QUANTITY_UNAVAILABLE), None)
        if short is not None:
            raise DomainError(short.message, code=OrderingErrorCode.QUANTITY_UNAVAILABLE, field=line_field(index, "quantity"),
                              extensions={**facts, "availableQuantity": short.available_quantity})


def check_delivery(view: CartView, selections: Mapping[GroupKey, Selection]) -> None:
    """Physical lines need a shipping address (SHIPPING_ADDRESS_REQUIRED), and every shipment
    group the delivery option the customer chose (`selections`), still available
    (SAME_DAY_UNAVAILABLE, DELIVERY_OPTION_UNAVAILABLE)."""
    if view.shipment_groups and view.shipping_address is None:
        raise DomainError("The cart has items to ship: set a shipping address first.",
                          code=OrderingErrorCode.SHIPPING_ADDRESS_REQUIRED, field=["cart", "shippingAddress"])
    for index, group in enumerate(view.shipment_groups):
        where = ["cart", "shipmentGroups", str(index), "selectedDeliveryOption"]
        facts = {"sellerId": group.seller_id}
        if group.notice is not None:
            # The stored choice no longer applies and the view fell back to an option the
            # customer did not choose: refuse rather than switch it.
            stored = selections.get(group.key)
            code = OrderingErrorCode.SAME_DAY_UNAVAILABLE if stored is not None and stored.option == DeliveryOptionKind.SAME_DAY \
                else OrderingErrorCode.DELIVERY_OPTION_UNAVAILABLE
            raise DomainError(f"{group.notice} Choose a delivery option again before placing the order.", code=code,
                              field=where, extensions=facts)
        if not group.selected.available:
            raise DomainError(f"No delivery option is available for these items: {group.selected.unavailable_reason}",
                              code=OrderingErrorCode.DELIVERY_OPTION_UNAVAILABLE, field=where, extensions=facts)


def check_total(view: CartView, expected_total: Money | None) -> None:
    """The total the client showed, if given, is still the total (TOTAL_CHANGED otherwise)."""
    total = view.totals.total
    if expected_total is not None and expected_total != total:
        raise DomainError(f"The total changed from {shown(expected_total)} to {shown(total)}: show the new total"
                          " and place the order again.", code=OrderingErrorCode.TOTAL_CHANGED, field=["input", "expectedTotal"],
                          extensions={"expectedTotal": expected_total, "total": total})


async def place_order(session: AsyncSession, principal: Principal, provider: payments.PaymentProvider, *, cart_id: int,
                      idempotency_key: str, payment_token: str, expected_total: Money | None,
                      limits: CartLimits) -> int:
    """Places the caller's cart as an order and returns the order's id (see the module
    docstring for the rules); the same idempotency key and request again return the same id."""
    account_id = principal.require_signed_in()
    scope = idempotency.scope_of(principal)
    request = {"cartId": cart_id, "paymentToken": payment_token, "expectedTotal": expected_total}
    claimed = await idempotency.claim(session, scope, OPERATION, idempotency_key, request)
    if isinstance(claimed, idempotency.Replay):
        return int(claimed.response["orderId"])
    if not isinstance(payment_token, str) or not 1 <= len(payment_token.strip()) <= MAX_PAYMENT_TOKEN:
        raise InvalidInput(f"Give the payment token of the customer's payment method (1-{MAX_PAYMENT_TOKEN}"
                           " characters).", field=["input", "paymentToken"])

    if not await cart_repository.lock(session, cart_id):
        raise NotFound("No such cart, or it is not yours.", field=CART_FIELD)
    db = SessionReader(session)
    cart = (await cart_repository.carts_by_ids(db, [cart_id]))[cart_id]
    if cart.account_id != account_id and not await _merged_into_callers(db, cart, account_id):
        raise NotFound("No such cart, or it is not yours (a guest cart is merged into yours when you sign in).",
                       field=CART_FIELD)
    cart.ensure_active()
    # Read now, under the cart's lock, in this transaction: the order is priced with the
    # benefits the customer has as it is placed, not those of the cart view they last saw.
    benefits = await subscriptions.membership_benefits(session, account_id)
    (view,) = await cart_view.build(db, [cart], benefits)
    check_lines(view, limits)
    check_delivery(view, cart.selections)
    tax.require_tax_address(view.shipping_address, view.billing_address, bool(view.shipment_groups))
    check_total(view, expected_total)

    now = clock.now()
    email = await identity.email_of(session, account_id)
    order_id, number, shipments = await write_order(session, account_id=account_id, cart_id=cart.id, email=email,
                                                    view=view, now=now)
    await _record_benefits_used(session, account_id, benefits, view.lines, shipments)

    total = view.totals.total
    payment = await payments.authorize(session, provider, amount=total, payment_token=payment_token,
                                       idempotency_key=payment_key(scope, idempotency_key, payment_token, total),
                                       reference=f"order:{number}", order_id=order_id)
    await history.record(session, order_id, "PLACED", f"Order {number} placed.", actor_account_id=account_id,
                         data={"number": number, "totalMinor": total.minor})
    await announcements.order_placed(session, order_id, account_id, shipments)
    await history.record(session, order_id, "PAYMENT_AUTHORIZED", f"{shown(total)} authorized.",
                              actor_account_id=account_id, data={"paymentId": payment.id, "amountMinor": total.minor})
    for shipment in shipments:
        if shipment.kind == ShipmentKind.DIGITAL and shipment.status == ShipmentStatus.DELIVERED:
            # Keyed by what stays the same when a crashed attempt is retried (the payment's key
            # and the seller), never by the shipment's id, which the retry draws anew.
            await settlement.capture_shipment(session, provider, shipment.id,
                                              key=f"checkout:digital:{shipment.seller_id}",
                                              actor_account_id=account_id)
            await history.record(session, order_id, "DELIVERED", "Digital items delivered.",
                                      shipment_id=shipment.id, actor_account_id=account_id)
    await history.refresh_status(session, order_id)

    await _subscribe(session, provider, account_id, view, payment_token, now)
    await send_confirmation(session, email, order_id, number, view, shipments)
    await cart_repository.mark_ordered(session, cart.id)
    await idempotency.complete(session, claimed, {"orderId": order_id})
    return order_id


async def _subscribe(session: AsyncSession, provider: payments.PaymentProvider, account_id: int, view: CartView,
                     payment_token: str, now) -> None:
    """Each Subscribe & Save line becomes a subscription whose first delivery is this order,
    paid from then on with the order's card, saved with the provider (once per order)."""
    lines = [line for line in view.lines if line.subscription_frequency_months]
    if not lines:
        return
    method = await provider.save_payment_method(payment_token)
    for line in lines:
        await subscriptions.subscribe(
            session, account_id=account_id, offer_id=line.offer_id, product_id=line.product_id,
            seller_id=line.seller_id, quantity=line.quantity, frequency_months=line.subscription_frequency_months,
            eligible=line.product.subscribe_eligible, first_delivery=now.astimezone(UTC).date(),
            address=view.shipping_address, provider=provider.name, payment_method_id=method.id,
            currency=view.currency, now=now)


async def _record_benefits_used(session: AsyncSession, account_id: int, benefits, lines: Sequence[CartLineView],
                                shipments: Sequence[PlannedShipment]) -> None:
    """A member's order that used a benefit (a member price, free two-day delivery on platform
    items) marks the membership's period as used: a cancel then refunds nothing."""
    if not benefits.is_member:
        return
    if any(line.member_savings for line in lines):
        await subscriptions.record_benefit_use(session, account_id, subscriptions.BenefitKind.MEMBER_PRICE)
    if benefits.free_two_day and any(s.option == DeliveryOptionKind.TWO_DAY and s.fulfilment == delivery.PLATFORM
                                     for s in shipments):
        await subscriptions.record_benefit_use(session, account_id, subscriptions.BenefitKind.FREE_DELIVERY)


async def _merged_into_callers(db, cart: CartRecord, account_id: int) -> bool:
    """A guest cart the caller merged into their own cart: still theirs to be told it is no
    longer active (CART_NOT_ACTIVE) rather than that it does not exist."""
    if cart.status != CartStatus.MERGED or cart.merged_into_id is None:
        return False
    target = (await cart_repository.carts_by_ids(db, [cart.merged_into_id])).get(cart.merged_into_id)
    return target is not None and target.account_id == account_id

