"""Order root fields: the customer's orders, an order by number, a seller's shipments."""
from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import After, First
from api.core.pagination import Connection, connection, page_request
from api.orders.enums import OrderStatus, ShipmentStatus
from api.orders.types import Order, Shipment
from domain.orders import service as orders

OrderStatusArg = Annotated[Optional[OrderStatus], strawberry.argument(
    description="Only orders in this status (all when omitted).")]
ShipmentStatusArg = Annotated[Optional[ShipmentStatus], strawberry.argument(
    description="Only shipments in this status, oldest first (all when omitted, newest first).")]
SellerIdArg = Annotated[strawberry.ID, strawberry.argument(description="Global ID of the seller.")]
NumberArg = Annotated[str, strawberry.argument(description="The order number, e.g. TRB-2026-0001234-6 (spaces and case do not matter).")]


@strawberry.type
class OrderQuery:
    @strawberry.field(description="Your orders, newest first. Requires sign-in. Page size 1-100 (default 20).")
    async def orders(self, info: Info, status: OrderStatusArg = None, first: First = None,
                     after: After = None) -> Connection[Order]:
        page = page_request(first, after)
        return connection(await orders.my_orders(info.context.reader, await info.context.viewer(),
                                                   status.value if status else None, page))

    @strawberry.field(description="One of your orders by its number (any order for an administrator); null when there is no such order, it is not yours, or the number is malformed.")
    async def order(self, info: Info, number: NumberArg) -> Order | None:
        return await orders.order_by_number(info.context.reader, await info.context.viewer(), number)

    @strawberry.field(description="A seller's shipments, to work them: its staff and administrators only. Page size 1-100 (default 20).")
    async def seller_shipments(self, info: Info, seller_id: SellerIdArg, status: ShipmentStatusArg = None,
                               first: First = None, after: After = None) -> Connection[Shipment]:
        page = page_request(first, after)
        seller = ids.decode_as(seller_id, "Seller", "sellerId")
        return connection(await orders.seller_shipments(info.context.reader, await info.context.viewer(), seller,
                                                          status.value if status else None, page))
