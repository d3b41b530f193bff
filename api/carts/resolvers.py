"""The product page's delivery estimate, computed by the cart's delivery rules for `Product.deliveryEstimate`."""
from strawberry.types import Info

from api.marketplace.types import PurchaseOption
from domain.carts import service as carts


async def product_estimate(info: Info, product, purchase_option: PurchaseOption, country_code: str | None,
                           region: str | None, city: str | None, postal_code: str | None):
    given = carts.delivery_location(country_code, region, city, postal_code)
    summaries = await info.context.loaders.offer_summary_by_product_id.load(product.id)
    summary = (summaries or {}).get(PurchaseOption(purchase_option).value)
    offer = summary.featured if summary is not None else None
    context = None
    if offer is not None and carts.needs_delivery(product):
        settings = info.context.settings
        default = carts.DeliveryLocation(settings.default_delivery_country, settings.default_delivery_region,
                                            settings.default_delivery_city, settings.default_delivery_postal_code)
        context = await info.context.loaders.delivery_context_by_location.load((given, default))
    return carts.delivery_estimate(product, offer, context)
