"""Who sees which orders and shipments.

An order (with its lines, history, refunds and return requests) is its customer's and
administrators'. A shipment is also visible to the staff of the seller that ships it, with
its own lines and where it goes, but never the customer's e-mail nor the rest of the order:
sellers work their shipments, they do not read customers' orders. Everyone else sees
nothing (null, never an error that would confirm the order exists)."""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from domain.orders import numbers, repository
from domain.orders.entities import Order, OrderLine, OrderRefund, ReturnRequest, Shipment
from domain.shared.errors import DomainError
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal


def may_see_order(principal: Principal, order: Order) -> bool:
    return principal.is_admin or (principal.account_id is not None and principal.account_id == order.account_id)


async def orders_by_ids(reader, principal: Principal, ids: Sequence[int]) -> dict[int, Order]:
    if principal.account_id is None:
        return {}
    found = await repository.orders_by_ids(reader, ids)
    return {pk: order for pk, order in found.items() if may_see_order(principal, order)}


async def order_by_number(reader, principal: Principal, number: str) -> Order | None:
    """The order with this number if the caller may see it; None for a malformed number too
    (a lookup, not a use case)."""
    if principal.account_id is None:
        return None
    try:
        parsed = str(numbers.parse_order_number(number))
    except DomainError:
        return None
    order = (await repository.orders_by_numbers(reader, [parsed])).get(parsed)
    return order if order is not None and may_see_order(principal, order) else None


async def my_orders(reader, principal: Principal, status: str | None, page: PageRequest) -> Page[Order]:
    """The caller's orders, newest first. Requires sign-in."""
    account_id = principal.require_signed_in()
    return await repository.orders_of_account(reader, account_id, status, page)


async def shipments_by_ids(reader, principal: Principal, ids: Sequence[int]) -> dict[int, Shipment]:
    if principal.account_id is None:
        return {}
    found = await repository.shipments_by_ids(reader, ids)
    if principal.is_admin:
        return found
    visible = {pk: s for pk, s in found.items() if principal.is_staff_of(s.seller_id)}
    rest = [s for pk, s in found.items() if pk not in visible]
    if rest:
        owners = await repository.orders_by_ids(reader, sorted({s.order_id for s in rest}))
        visible.update({s.id: s for s in rest if s.order_id in owners
                        and owners[s.order_id].account_id == principal.account_id})
    return visible


async def seller_shipments(reader, principal: Principal, seller_id: int, status: str | None,
                           page: PageRequest) -> Page[Shipment]:
    """A seller's shipments for its staff and administrators (FORBIDDEN otherwise)."""
    principal.require_seller_staff(seller_id, or_admin=True)
    return await repository.shipments_of_seller(reader, seller_id, status, page)


async def shipment_destinations(reader, principal: Principal, shipment_ids: Sequence[int]) -> dict[int, Order]:
    """For each visible shipment, the order it belongs to, as far as shipping it needs (the
    number and the address); the e-mail is blanked for sellers' staff."""
    shipments = await shipments_by_ids(reader, principal, shipment_ids)
    orders = await repository.orders_by_ids(reader, sorted({s.order_id for s in shipments.values()}))
    out = {}
    for pk, shipment in shipments.items():
        order = orders.get(shipment.order_id)
        if order is None:
            continue
        if not may_see_order(principal, order):
            order = dataclasses.replace(order, email="")
        out[pk] = order
    return out


async def lines_by_ids(reader, principal: Principal, ids: Sequence[int]) -> dict[int, OrderLine]:
    """Order lines the caller may see: those of a shipment the caller sees (the order's customer,
    administrators, the staff of the seller that ships it)."""
    if principal.account_id is None:
        return {}
    found = await repository.lines_by_ids(reader, ids)
    shipments = await shipments_by_ids(reader, principal, sorted({line.shipment_id for line in found.values()}))
    return {pk: line for pk, line in found.items() if line.shipment_id in shipments}


async def refunds_by_ids(reader, principal: Principal, ids: Sequence[int]) -> dict[int, OrderRefund]:
    """Refunds of the orders the caller may see."""
    return await _of_visible_orders(reader, principal, await _found(principal, repository.refunds_by_ids, reader, ids))


async def returns_by_ids(reader, principal: Principal, ids: Sequence[int]) -> dict[int, ReturnRequest]:
    """Return requests of the orders the caller may see."""
    return await _of_visible_orders(reader, principal, await _found(principal, repository.returns_by_ids, reader, ids))


async def _found(principal: Principal, fetch, reader, ids: Sequence[int]) -> dict:
    return {} if principal.account_id is None else await fetch(reader, ids)


async def _of_visible_orders(reader, principal: Principal, found: dict) -> dict:
    if not found:
        return {}
    orders = await orders_by_ids(reader, principal, sorted({item.order_id for item in found.values()}))
    return {pk: item for pk, item in found.items() if item.order_id in orders}
