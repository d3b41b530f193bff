"""The product page's delivery estimate ("arrives by ..."), computed by the cart's delivery rules."""
import datetime

import strawberry

from api.carts.types import DeliveryOption
from api.core.enums import graphql_enum
from domain.carts import statuses as carts_statuses

DeliveryEstimateStatus = graphql_enum(carts_statuses.DeliveryEstimateStatus, description="What a delivery estimate says: SHIPS (a physical item arrives by `estimatedDate` with `option`), INSTANT (a digital item is in the library at once), ON_RELEASE (a digital pre-order is in the library on its release date), UNAVAILABLE (nobody has it in stock, or no delivery option reaches the location: `message` says which).")

DeliveryLocationSource = graphql_enum(carts_statuses.DeliveryLocationSource, description="Where the location of a delivery estimate came from: GIVEN (the field's arguments), DEFAULT_ADDRESS (the signed-in caller's default address), CONFIGURED_DEFAULT (the service's default location, `TRIBUTARY_DEFAULT_DELIVERY_COUNTRY`...).")


@strawberry.type(description="Where a delivery estimate is for. Never more than a country, region, city and postal code.")
class DeliveryLocation:
    country_code: str = strawberry.field(description="ISO 3166-1 alpha-2 country code.")
    region: str = strawberry.field(description="State, province or county; may be empty.")
    city: str = strawberry.field(description="City; may be empty (then same-day delivery is not offered).")
    postal_code: str = strawberry.field(description="Postal code; may be empty.")


@strawberry.type(description="When the featured offer would reach the caller: the earliest delivery option a cart holding it alone would show for the location (same rules, prices and dates as the cart), or, for digital items, when they are in the library.")
class DeliveryEstimate:
    status: DeliveryEstimateStatus = strawberry.field(description="What the estimate says.")
    message: str = strawberry.field(description="The estimate in words for the customer, e.g. \"Arrives by Tuesday, December 9 with Two-day delivery (USD 9.99).\"; with UNAVAILABLE, why.")
    estimated_date: datetime.date | None = strawberry.field(description="SHIPS: the estimated arrival (business days from today, or from the release date for a pre-order); INSTANT: today; ON_RELEASE: the release date; null when UNAVAILABLE.")
    option: DeliveryOption | None = strawberry.field(description="SHIPS: the earliest available option (the cheaper one on the same day), with its price; null otherwise.")
    location: DeliveryLocation | None = strawberry.field(description="Where the estimate is for; null for digital items and when nobody has the item.")
    location_source: DeliveryLocationSource | None = strawberry.field(description="Where `location` came from; null with `location`.")
