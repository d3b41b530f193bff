"""Cart loaders: pickup locations (a shipment names the one it goes to), and the delivery
configuration at a location for the product page's delivery estimate."""
from api.core.dataloaders import keyed, keyed_for_viewer
from domain.carts import service as carts


async def _delivery_contexts(reader, principal, keys) -> dict:
    return {key: await carts.delivery_context(reader, principal, *key) for key in keys}


FACTORIES = {
    "pickup_location_by_id": lambda r, *_: keyed(r, carts.pickup_locations_by_ids),
    # (given location, configured default) -> where to and the delivery configuration there
    "delivery_context_by_location": keyed_for_viewer(_delivery_contexts),
}
