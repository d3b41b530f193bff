"""Computes what a customer sees of carts: each line priced at the offer's price now (its member
price for a customer whose membership gives member prices), with its problems; the shipment
groups with their delivery options; tax and totals. placeOrder charges what this computes, in
its own transaction, with the benefits the customer has then.

"Price when added" (and PRICE_CHANGED) follows the offer's price everyone pays: a member's
saving is shown apart (`member_savings`), so a membership starting or ending is not a price
change of the offer.

A batch of carts costs a fixed number of statements whatever their sizes: the offers, the
products, the sellers of withdrawn offers (only when there are some), and the delivery and
tax configuration, each fetched once for the whole batch (plus the membership question,
free while memberships do not exist)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from domain.carts import delivery, pricing, repository, tax
from domain.carts.entities import (
    EMPTY_CONFIG,
    CartLineView,
    CartRecord,
    CartView,
    DeliveryConfig,
    LineProblem,
    LineRecord,
    ShipmentGroup,
    SubscribeTerms,
    is_digital,
)
from domain.carts.statuses import CartLineProblemCode, TaxStatus
from domain.catalogue import service as catalogue
from domain.catalogue.statuses import ProductKind
from domain.licences import service as licences
from domain.marketplace import service as marketplace
from domain.marketplace.statuses import PurchaseOption
from domain.shared import clock
from domain.shared.config import get_settings
from domain.shared.money import Money
from domain.subscriptions import service as subscriptions
from domain.subscriptions.service import MembershipBenefits

MEMBERSHIP_MESSAGE = ("A membership is not bought through the cart: join with the joinPrime mutation. Remove this"
                      " line; placing the order refuses it.")
ALREADY_OWNED_MESSAGE = ("You already have this title in your library, so buying it again would give you nothing:"
                         " remove this line; placing the order refuses it.")


def _shown(money: Money) -> str:
    return f"{money.currency} {money.amount}"


def _owned(record: LineRecord, offer, product) -> bool:
    if not record.owned_kinds or product is None or not is_digital(product):
        return False
    renting = offer is not None and offer.purchase_option == PurchaseOption.RENT
    return licences.already_owned(record.owned_kinds, renting)


def _line(cart: CartRecord, record: LineRecord, offers: dict, products: dict, sellers: dict,
          benefits: MembershipBenefits) -> CartLineView:
    offer, product = offers.get(record.offer_id), products.get(record.product_id)
    when_added = Money(record.unit_price_minor_at_add, record.currency)
    problems: list[LineProblem] = []
    savings = None
    if offer is None or product is None:
        problems.append(LineProblem(CartLineProblemCode.OFFER_UNAVAILABLE, "This offer is no longer available: the seller withdrew it"
                                    " or no longer sells here. Remove the line or choose another offer."))
        unit, seller = when_added, sellers.get(record.seller_id)
        requires_delivery, purchasable, offer = product is None or not is_digital(product), False, None
    else:
        unit, seller = offer.unit_price_for(benefits.member_prices), offer.seller
        if record.subscribe is not None:
            unit = pricing.subscribe_unit_price(unit, offer.price_minor, record.subscribe)
        requires_delivery, purchasable = not is_digital(product), True
        if unit.minor < offer.price_minor:
            savings = Money((offer.price_minor - unit.minor) * record.quantity, unit.currency)
        if offer.price_minor != record.unit_price_minor_at_add:
            problems.append(LineProblem(CartLineProblemCode.PRICE_CHANGED, f"The price changed from {_shown(when_added)} to"
                                        f" {_shown(offer.price)} since you added this.", previous_unit_price=when_added))
        if product.kind == ProductKind.MEMBERSHIP:
            problems.append(LineProblem(CartLineProblemCode.MEMBERSHIP_NOT_SOLD_IN_CART, MEMBERSHIP_MESSAGE))
        elif _owned(record, offer, product):
            problems.append(LineProblem(CartLineProblemCode.ALREADY_OWNED, ALREADY_OWNED_MESSAGE))
        if requires_delivery and record.quantity > offer.quantity:
            available = offer.quantity
            message = (f"Only {available} left from this seller; lower the quantity to buy this line." if available
                       else "This offer is out of stock.")
            problems.append(LineProblem(CartLineProblemCode.QUANTITY_UNAVAILABLE, message, available_quantity=available))
    return CartLineView(
        id=record.id, cart_id=cart.id, offer_id=record.offer_id, product_id=record.product_id,
        seller_id=record.seller_id, quantity=record.quantity, added_at=record.added_at, offer=offer,
        product=product, seller=seller, unit_price=unit, price_when_added=when_added,
        line_total=pricing.line_total(unit.minor, record.quantity, unit.currency),
        requires_delivery=requires_delivery, purchasable=purchasable, problems=problems,
        tax_class=tax.tax_class_of(product.format if product is not None else None), member_savings=savings,
        subscribe_and_save=record.subscribe is not None,
        subscription_frequency_months=record.subscription_frequency_months,
    )


def _subscribe_terms(records: Sequence[LineRecord]) -> list[LineRecord]:
    """The cart's Subscribe & Save lines with their discount: the configured one, or with the
    tiered rule the one for as many subscriptions as the cart's first delivery brings."""
    subscribing = sum(1 for r in records if r.subscription_frequency_months and r.subscribe is None)
    if not subscribing:
        return list(records)
    terms = SubscribeTerms(subscriptions.subscribe_discount_percent(get_settings(), subscribing))
    return [replace(r, subscribe=terms) if r.subscription_frequency_months and r.subscribe is None else r
            for r in records]


def _tax_note(status: str, which: str) -> str | None:
    """Why tax is 0, naming the address (`which`: shipping or billing) that tax follows."""
    if status == TaxStatus.NEEDS_ADDRESS:
        return f"Add a {which} address to see the tax."
    if status == TaxStatus.NO_RATE:
        return f"No sales tax or VAT rate is configured for the {which} address; tax is 0."
    return None


def view(cart: CartRecord, offers: dict, products: dict, sellers: dict, config: DeliveryConfig,
         benefits: MembershipBenefits, now) -> CartView:
    """The cart as a customer with these membership `benefits` sees it: member prices on the
    lines when the benefits give them, free TWO_DAY delivery on Prime-eligible groups when
    they give that."""
    lines = [_line(cart, record, offers, products, sellers, benefits) for record in _subscribe_terms(cart.lines)]
    grouped: dict[tuple[int, str], list[CartLineView]] = {}
    for line in lines:
        if line.purchasable and line.requires_delivery:
            grouped.setdefault((line.seller_id, line.fulfilment), []).append(line)
    address = cart.shipping_address
    groups = []
    for (seller_id, fulfilment), members in grouped.items():
        options = delivery.options_for(members, fulfilment, config, address, benefits.free_two_day, now)
        selected, location, notice = delivery.chosen(options, cart.selections.get((seller_id, fulfilment)))
        groups.append(ShipmentGroup(seller_id=seller_id, fulfilment=fulfilment, seller=members[0].seller,
                                    lines=members, options=options, selected=selected,
                                    selected_pickup_location=location, notice=notice))
    ships_goods = bool(groups)
    taxed_at = tax.tax_address(address, cart.billing_address, ships_goods)
    tax_minor, tax_status = tax.apply(lines, taxed_at, config.tax_rates)
    which = "shipping" if ships_goods or (taxed_at is not None and taxed_at is address) else "billing"
    totals = pricing.totals(lines, groups, tax_minor, tax_status, _tax_note(tax_status, which))
    return CartView(id=cart.id, account_id=cart.account_id, status=cart.status, currency=cart.currency,
                    created_at=cart.created_at, updated_at=cart.updated_at, shipping_address=address, lines=lines,
                    shipment_groups=groups, totals=totals, is_guest=cart.is_guest,
                    billing_address=cart.billing_address)


async def build(db, carts: Sequence[CartRecord], benefits: MembershipBenefits | None = None) -> list[CartView]:
    """Views of these carts (`db`: the request's `Reader`, or a use case's `SessionReader`),
    each priced with its owner's membership benefits now, or with `benefits` when given (a use
    case that read them in its own transaction, e.g. placeOrder)."""
    records = [line for cart in carts for line in cart.lines]
    offers = await marketplace.offers_by_ids(db, sorted({r.offer_id for r in records})) if records else {}
    products = await catalogue.products_by_ids(db, sorted({r.product_id for r in records})) if records else {}
    withdrawn = sorted({r.seller_id for r in records if r.offer_id not in offers})
    sellers = await marketplace.sellers_by_ids(db, withdrawn) if withdrawn else {}
    countries = {a.country_code for c in carts for a in (c.shipping_address, c.billing_address) if a is not None}
    config = EMPTY_CONFIG
    if records or countries:
        any_country = any(c.shipping_address is None and c.lines for c in carts)
        config = await repository.delivery_config(db, countries, any_country)
    now = clock.now()
    views = []
    for cart in carts:
        mine = benefits if benefits is not None else await subscriptions.membership_benefits(db, cart.account_id)
        views.append(view(cart, offers, products, sellers, config, mine, now))
    return views
