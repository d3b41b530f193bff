"""Enums of orders, shipments, returns and refunds."""

from api.core.enums import graphql_enum
from domain.orders import statuses as orders_statuses

OrderStatus = graphql_enum(orders_statuses.OrderStatus, description="Where an order stands; it follows its shipments: PLACED (nothing has left yet), PARTIALLY_SHIPPED (some shipments left), SHIPPED (every live shipment left), DELIVERED (every live shipment arrived; digital items arrive at once), CANCELLED (every shipment was cancelled). Delivered e-books and streams are licences, not parcels: they never count as shipped, so an all-digital order is DELIVERED when placed and a mixed one reads by its physical shipments (PLACED until one leaves).")

ShipmentStatus = graphql_enum(orders_statuses.ShipmentStatus, description="Where a shipment stands: AWAITING_RELEASE (pre-ordered; ships at the product's release date), PENDING (to be shipped by the seller), SHIPPED (handed to the carrier; its payment was captured), DELIVERED (arrived, or for digital items made available), CANCELLED.")


ShipmentKind = graphql_enum(orders_statuses.ShipmentKind, description="PHYSICAL (goods a carrier delivers) or DIGITAL (e-books and streams, delivered at once to the customer's library).")

ReturnReason = graphql_enum(orders_statuses.ReturnReason, description="Why a customer sends items back.")


ReturnStatus = graphql_enum(orders_statuses.ReturnStatus, description="Where a return request stands: REQUESTED (waiting for the items or a decision), REFUNDED (the money went back), REJECTED (refused, with a reason in the order's history).")

RefundKind = graphql_enum(orders_statuses.RefundKind, description="Why money went back to the customer: CANCELLATION, RETURN, GOODWILL (a customer-service gesture), PRICE_GUARANTEE (a pre-order's price dropped before release), PLAYBACK_QUALITY (a rental that played badly, refunded automatically), OTHER.")
