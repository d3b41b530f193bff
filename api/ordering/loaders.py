"""Ordering loaders. Orders and shipments are private: their loaders get the caller and the
domain leaves out what the caller may not see. The lists under an order or a shipment are
loaded only for a parent the caller already sees."""
from api.dataloaders import keyed, keyed_for_viewer
from domain.ordering import service as ordering
from domain.payments import service as payments


async def _delivery_contexts(reader, principal, keys) -> dict:
    return {key: await ordering.delivery_context(reader, principal, *key) for key in keys}


FACTORIES = {
    "order_by_id": keyed_for_viewer(ordering.orders_by_ids),
    "shipment_by_id": keyed_for_viewer(ordering.shipments_by_ids),
    "shipment_destination_by_id": keyed_for_viewer(ordering.shipment_destinations),
    "shipments_by_order_id": lambda r, *_: keyed(r, ordering.shipments_for_orders),
    "order_lines_by_order_id": lambda r, *_: keyed(r, ordering.lines_for_orders),
    "order_lines_by_shipment_id": lambda r, *_: keyed(r, ordering.lines_for_shipments),
    "order_events_by_order_id": lambda r, *_: keyed(r, ordering.events_for_orders),
    "order_refunds_by_order_id": lambda r, *_: keyed(r, ordering.refunds_for_orders),
    "return_requests_by_order_id": lambda r, *_: keyed(r, ordering.returns_for_orders),
    "pickup_location_by_id": lambda r, *_: keyed(r, ordering.pickup_locations_by_ids),
    "payments_by_order_id": lambda r, *_: keyed(r, payments.payments_for_orders),
    # (given location, configured default) -> where to and the delivery configuration there
    "delivery_context_by_location": keyed_for_viewer(_delivery_contexts),
}
