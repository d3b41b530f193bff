"""Writing an order: the shipments a priced cart view splits into, the order with its
shipments and lines, and the confirmation e-mail. `placeOrder` (`checkout`) and the Subscribe &
Save scheduler (`subscription_deliveries`) both write their orders here; paying for them is
theirs."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts import delivery
from domain.carts.entities import CartLineView, CartView, ShippingAddress, is_digital
from domain.jobs import service as jobs
from domain.marketplace import service as marketplace
from domain.orders import numbers
from domain.orders.statuses import ShipmentKind, ShipmentStatus
from domain.shared.money import Money


@dataclass(slots=True)
class PlannedShipment:
    """A shipment being built from the cart view: its lines and amounts."""

    seller_id: int
    kind: str  # PHYSICAL or DIGITAL
    fulfilment: str | None
    option: str | None
    pickup_location_id: int | None
    status: str
    release_date: date | None
    estimated_delivery_date: date | None
    delivery_minor: int = 0
    lines: list[CartLineView] = field(default_factory=list)
    id: int | None = None

    @property
    def subtotal_minor(self) -> int:
        return sum(line.line_total.minor for line in self.lines)

    @property
    def tax_minor(self) -> int:
        return sum(line.tax.minor if line.tax is not None else 0 for line in self.lines)


def shown(money: Money) -> str:
    return f"{money.currency} {money.amount}"


def line_field(index: int, *rest: str) -> list[str]:
    return ["cart", "lines", str(index), *rest]


# Line problems that do not block changing the cart but do block buying it.


def plan_shipments(view: CartView, today: date) -> list[PlannedShipment]:
    """The shipments the order splits into (see the module docstring), in a stable order."""
    planned: dict[tuple, PlannedShipment] = {}
    for group in view.shipment_groups:
        option = group.selected
        pickup = group.selected_pickup_location.id if group.selected_pickup_location is not None else None
        # The option's estimate counts from the day the whole group can leave; each shipment
        # counts the same business days from its own day (today, or its release date).
        start = delivery.ships_from(group.lines, today)
        lead = delivery.business_days_between(start, option.estimated_delivery_date) \
            if option.estimated_delivery_date is not None else 0
        for line in group.lines:
            release = line.product.release_date if line.product is not None and line.product.is_preorder else None
            key = ("PHYSICAL", group.seller_id, group.fulfilment, option.kind, release)
            shipment = planned.get(key)
            if shipment is None:
                estimate = option.estimated_delivery_date if (release or today) == start \
                    else delivery.add_business_days(release or today, lead)
                shipment = planned[key] = PlannedShipment(
                    seller_id=group.seller_id, kind=ShipmentKind.PHYSICAL, fulfilment=group.fulfilment, option=option.kind,
                    pickup_location_id=pickup, status=ShipmentStatus.AWAITING_RELEASE if release else ShipmentStatus.PENDING,
                    release_date=release, estimated_delivery_date=estimate)
            shipment.lines.append(line)
        # The group's delivery price goes on its first shipment: the one leaving now if there
        # is one, else the earliest release.
        mine = sorted((s for k, s in planned.items() if k[1:4] == (group.seller_id, group.fulfilment, option.kind)),
                      key=lambda s: (s.release_date is not None, s.release_date or today))
        if mine and option.price is not None:
            mine[0].delivery_minor += option.price.minor
    for line in view.lines:
        if line.requires_delivery:
            continue
        release = line.product.release_date if line.product.is_preorder else None
        key = ("DIGITAL", line.seller_id, None, None, release)
        shipment = planned.get(key)
        if shipment is None:
            shipment = planned[key] = PlannedShipment(
                seller_id=line.seller_id, kind=ShipmentKind.DIGITAL, fulfilment=None, option=None, pickup_location_id=None,
                status=ShipmentStatus.AWAITING_RELEASE if release else ShipmentStatus.DELIVERED, release_date=release,
                estimated_delivery_date=release or today)
        shipment.lines.append(line)
    return list(planned.values())


async def write_order(session: AsyncSession, *, account_id: int, cart_id: int | None, email: str, view: CartView,
                      now) -> tuple[int, str, list[PlannedShipment]]:
    """Writes the order these checked lines make, at the view's prices, for the account:
    reserves the physical lines' stock all or nothing (QUANTITY_UNAVAILABLE), draws the order
    number, stores the order with its shipments and lines. Returns (order id, number,
    shipments). Paying for it and its PLACED event (after the payment) are the caller's part:
    placeOrder authorizes the customer's token, the Subscribe & Save scheduler charges the
    saved payment method."""
    physical: dict[int, int] = {}
    fields: dict[int, list[str]] = {}
    for index, line in enumerate(view.lines):
        if line.requires_delivery:
            physical[line.offer_id] = physical.get(line.offer_id, 0) + line.quantity
            fields.setdefault(line.offer_id, line_field(index, "quantity"))
    await marketplace.reserve_stock(session, physical, fields)
    number = await numbers.next_order_number(session)
    address = view.shipping_address if view.shipment_groups else None
    order_id = await _insert_order(session, number, account_id, cart_id, email, view, address, now)
    shipments = plan_shipments(view, now.date())
    for shipment in shipments:
        shipment.id = await _insert_shipment(session, order_id, shipment, view.currency, now)
        for line in shipment.lines:
            await _insert_line(session, order_id, shipment.id, line)
    return order_id, number, shipments


async def send_confirmation(session: AsyncSession, email: str, order_id: int, number: str, view: CartView,
                            shipments: Sequence[PlannedShipment]) -> None:
    """The order confirmation e-mail (outbox), once per order."""
    await jobs.send_email(session, to=email, template="order_confirmation", context={
        "orderNumber": number, "total": shown(view.totals.total), "lines": _lines_summary(view.lines),
        "shipments": _shipments_summary(shipments)}, dedupe_key=f"order-confirmation:{order_id}")


def _lines_summary(lines: Sequence[CartLineView]) -> str:
    return "\n".join(f"- {line.quantity} x {line.product.title}: {shown(line.line_total)}" for line in lines)


_WHAT = {"AWAITING_RELEASE": "pre-order, ships on release", "PENDING": "to be shipped", "DELIVERED": "delivered"}


def _shipments_summary(shipments: Sequence[PlannedShipment]) -> str:
    out = []
    for index, shipment in enumerate(shipments, 1):
        how = "digital delivery" if shipment.kind == ShipmentKind.DIGITAL else shipment.option.replace("_", " ").lower()
        when = f", estimated {shipment.estimated_delivery_date:%Y-%m-%d}" if shipment.estimated_delivery_date else ""
        if shipment.release_date:
            when += f" (release date {shipment.release_date:%Y-%m-%d})"
        items = sum(line.quantity for line in shipment.lines)
        out.append(f"{index}. {items} item(s), {how}, {_WHAT[shipment.status]}{when}")
    return "\n".join(out)


async def _insert_order(session: AsyncSession, number: str, account_id: int, cart_id: int | None, email: str,
                        view: CartView, address: ShippingAddress | None, now) -> int:
    totals = view.totals
    ship = address or ShippingAddress(*([None] * 8))
    bill = view.billing_address or ShippingAddress(*([None] * 8))
    return (await session.execute(text(
        "INSERT INTO orders (number, account_id, cart_id, email, currency, subtotal_minor, delivery_minor, tax_minor,"
        " discount_minor, total_minor, ship_full_name, ship_line1, ship_line2, ship_city, ship_region,"
        " ship_postal_code, ship_country_code, ship_phone, bill_full_name, bill_line1, bill_line2, bill_city,"
        " bill_region, bill_postal_code, bill_country_code, bill_phone, placed_at, updated_at) VALUES (:number,"
        " :account, :cart, :email, :currency, :subtotal, :delivery, :tax, :discount, :total, :full_name, :line1,"
        " :line2, :city, :region, :postal_code, :country_code, :phone, :bill_full_name, :bill_line1, :bill_line2,"
        " :bill_city, :bill_region, :bill_postal_code, :bill_country_code, :bill_phone, :now, :now) RETURNING id"),
        {"number": number, "account": account_id, "cart": cart_id, "email": email, "currency": view.currency,
         "subtotal": totals.subtotal.minor, "delivery": totals.delivery.minor, "tax": totals.tax.minor,
         "discount": totals.discount.minor, "total": totals.total.minor, "full_name": ship.full_name,
         "line1": ship.line1, "line2": ship.line2, "city": ship.city, "region": ship.region,
         "postal_code": ship.postal_code, "country_code": ship.country_code, "phone": ship.phone,
         "bill_full_name": bill.full_name, "bill_line1": bill.line1, "bill_line2": bill.line2, "bill_city": bill.city,
         "bill_region": bill.region, "bill_postal_code": bill.postal_code, "bill_country_code": bill.country_code,
         "bill_phone": bill.phone, "now": now},
    )).scalar_one()


async def _insert_shipment(session: AsyncSession, order_id: int, shipment: PlannedShipment, currency: str, now) -> int:
    delivered = shipment.status == ShipmentStatus.DELIVERED
    return (await session.execute(text(
        "INSERT INTO shipments (order_id, seller_id, kind, fulfilment, delivery_option, pickup_location_id, status,"
        " release_date, estimated_delivery_date, subtotal_minor, delivery_minor, tax_minor, currency, created_at,"
        " shipped_at, delivered_at) VALUES (:order, :seller, CAST(:kind AS shipment_kind),"
        " CAST(:fulfilment AS fulfilment), CAST(:option AS delivery_option_kind), :pickup,"
        " CAST(:status AS shipment_status), :release, :estimate, :subtotal, :delivery, :tax, :currency, :now,"
        " :delivered_at, :delivered_at) RETURNING id"),
        {"order": order_id, "seller": shipment.seller_id, "kind": shipment.kind, "fulfilment": shipment.fulfilment,
         "option": shipment.option, "pickup": shipment.pickup_location_id, "status": shipment.status,
         "release": shipment.release_date, "estimate": shipment.estimated_delivery_date,
         "subtotal": shipment.subtotal_minor, "delivery": shipment.delivery_minor, "tax": shipment.tax_minor,
         "currency": currency, "now": now, "delivered_at": now if delivered else None},
    )).scalar_one()


async def _insert_line(session: AsyncSession, order_id: int, shipment_id: int, line: CartLineView) -> None:
    product = line.product
    await session.execute(text(
        "INSERT INTO order_lines (order_id, shipment_id, offer_id, product_id, seller_id, category_id, title, format,"
        " digital, quantity, unit_price_minor, line_total_minor, tax_class, tax_minor, currency) VALUES (:order,"
        " :shipment, :offer, :product, :seller, :category, :title, :format, :digital, :quantity, :unit, :line_total,"
        " CAST(:tax_class AS tax_class), :tax, :currency)"),
        {"order": order_id, "shipment": shipment_id, "offer": line.offer_id, "product": line.product_id,
         "seller": line.seller_id, "category": product.category_id, "title": product.title, "format": product.format,
         "digital": is_digital(product), "quantity": line.quantity, "unit": line.unit_price.minor,
         "line_total": line.line_total.minor, "tax_class": line.tax_class,
         "tax": line.tax.minor if line.tax is not None else 0, "currency": line.unit_price.currency})
