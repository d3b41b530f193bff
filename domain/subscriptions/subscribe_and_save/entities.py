"""A Subscribe & Save subscription as the use cases and the scheduler see it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.subscriptions.statuses import SubscriptionStatus

COLUMNS = ("id, account_id, offer_id, product_id, seller_id, quantity, frequency_months, anchor_day, status::text AS status,"
           " next_delivery_date, reminded_for, reminded_price_minor, currency, ship_full_name, ship_line1, ship_line2,"
           " ship_city, ship_region, ship_postal_code, ship_country_code, ship_phone, provider, payment_method_id,"
           " created_at, updated_at, payment_failures, payment_retry_at")


@dataclass(slots=True)
class Subscription:
    id: int
    account_id: int
    offer_id: int
    product_id: int
    seller_id: int
    quantity: int
    frequency_months: int
    anchor_day: int
    status: str
    next_delivery_date: date
    reminded_for: date | None
    reminded_price_minor: int | None
    currency: str
    ship_full_name: str
    ship_line1: str
    ship_line2: str
    ship_city: str
    ship_region: str
    ship_postal_code: str
    ship_country_code: str
    ship_phone: str
    provider: str
    payment_method_id: str
    created_at: datetime
    updated_at: datetime
    payment_failures: int = 0
    payment_retry_at: datetime | None = None

    @property
    def price_cap_minor(self) -> int | None:
        """The unit price the reminder stated for the next delivery: it is never charged more."""
        return self.reminded_price_minor if self.reminded_for == self.next_delivery_date else None

    @property
    def active(self) -> bool:
        return self.status == SubscriptionStatus.ACTIVE
