"""Enums of orders, shipments, returns and refunds."""
from enum import Enum

import strawberry


@strawberry.enum(description="Where an order stands; it follows its shipments: PLACED (nothing has left yet), PARTIALLY_SHIPPED (some shipments left), SHIPPED (every live shipment left), DELIVERED (every live shipment arrived; digital items arrive at once), CANCELLED (every shipment was cancelled). Delivered e-books and streams are licences, not parcels: they never count as shipped, so an all-digital order is DELIVERED when placed and a mixed one reads by its physical shipments (PLACED until one leaves).")
class OrderStatus(str, Enum):
    PLACED = "PLACED"
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


@strawberry.enum(description="Where a shipment stands: AWAITING_RELEASE (pre-ordered; ships at the product's release date), PENDING (to be shipped by the seller), SHIPPED (handed to the carrier; its payment was captured), DELIVERED (arrived, or for digital items made available), CANCELLED.")
class ShipmentStatus(str, Enum):
    AWAITING_RELEASE = "AWAITING_RELEASE"
    PENDING = "PENDING"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


@strawberry.enum(description="PHYSICAL (goods a carrier delivers) or DIGITAL (e-books and streams, delivered at once to the customer's library).")
class ShipmentKind(str, Enum):
    PHYSICAL = "PHYSICAL"
    DIGITAL = "DIGITAL"


@strawberry.enum(description="Why a customer sends items back.")
class ReturnReason(str, Enum):
    DAMAGED = strawberry.enum_value("DAMAGED", description="The item arrived damaged or defective.")
    WRONG_ITEM = strawberry.enum_value("WRONG_ITEM", description="A different item arrived than the one ordered: a replacement ships and the product's catalogue data is flagged for review.")
    NOT_AS_DESCRIBED = strawberry.enum_value("NOT_AS_DESCRIBED", description="The item differs from its description.")
    NO_LONGER_NEEDED = strawberry.enum_value("NO_LONGER_NEEDED", description="The customer changed their mind.")
    OTHER = strawberry.enum_value("OTHER", description="Another reason, given in the comment.")


@strawberry.enum(description="Where a return request stands: REQUESTED (waiting for the items or a decision), REFUNDED (the money went back), REJECTED (refused, with a reason in the order's history).")
class ReturnStatus(str, Enum):
    REQUESTED = "REQUESTED"
    REFUNDED = "REFUNDED"
    REJECTED = "REJECTED"


@strawberry.enum(description="Why money went back to the customer: CANCELLATION, RETURN, GOODWILL (a customer-service gesture), PRICE_GUARANTEE (a pre-order's price dropped before release), PLAYBACK_QUALITY (a rental that played badly, refunded automatically), OTHER.")
class RefundKind(str, Enum):
    CANCELLATION = "CANCELLATION"
    RETURN = "RETURN"
    GOODWILL = "GOODWILL"
    PRICE_GUARANTEE = "PRICE_GUARANTEE"
    OTHER = "OTHER"
    PLAYBACK_QUALITY = "PLAYBACK_QUALITY"
