"""Order loaders. Orders and shipments are private: their loaders get the caller and the
domain leaves out what the caller may not see. The lists under an order or a shipment are
loaded only for a parent the caller already sees."""
from api.core.dataloaders import keyed, keyed_for_viewer
from domain.orders import service as orders
from domain.payments import service as payments

FACTORIES = {
    "order_by_id": keyed_for_viewer(orders.orders_by_ids),
    "shipment_by_id": keyed_for_viewer(orders.shipments_by_ids),
    "shipment_destination_by_id": keyed_for_viewer(orders.shipment_destinations),
    "order_line_by_id": keyed_for_viewer(orders.order_lines_by_ids),
    "order_refund_by_id": keyed_for_viewer(orders.order_refunds_by_ids),
    "return_request_by_id": keyed_for_viewer(orders.return_requests_by_ids),
    "shipments_by_order_id": lambda r, *_: keyed(r, orders.shipments_for_orders),
    "order_lines_by_order_id": lambda r, *_: keyed(r, orders.lines_for_orders),
    "order_lines_by_shipment_id": lambda r, *_: keyed(r, orders.lines_for_shipments),
    "order_events_by_order_id": lambda r, *_: keyed(r, orders.events_for_orders),
    "order_refunds_by_order_id": lambda r, *_: keyed(r, orders.refunds_for_orders),
    "return_requests_by_order_id": lambda r, *_: keyed(r, orders.returns_for_orders),
    "payments_by_order_id": lambda r, *_: keyed(r, payments.payments_for_orders),
}
