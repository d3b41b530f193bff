"""The Subscribe & Save discount (`TRIBUTARY_SUBSCRIBE_*`): by default 15% off each delivery;
with the tiered rule, the base percent (5%), or the full percent (15%) when the customer has
enough subscriptions (5) arriving on the same delivery day. Delivery is always free."""
from __future__ import annotations

from dataclasses import dataclass

from domain.shared.config import Settings

# Months between deliveries a subscription may choose.
FREQUENCIES = range(1, 7)


@dataclass(frozen=True, slots=True)
class Terms:
    """What Subscribe & Save offers on a product: nothing for an ineligible one."""

    eligible: bool
    discount_percent: int
    tiered: bool
    frequencies: tuple[int, ...]


def terms(settings: Settings, eligible: bool) -> Terms:
    if not eligible:
        return Terms(False, 0, False, ())
    return Terms(True, settings.subscribe_discount_percent, settings.subscribe_tiered, tuple(FREQUENCIES))


def discount_percent(settings: Settings, arriving_same_day: int) -> int:
    """The discount of a delivery that arrives with `arriving_same_day` subscriptions in all
    (itself included)."""
    if settings.subscribe_tiered and arriving_same_day < settings.subscribe_tier_threshold:
        return settings.subscribe_tier_base_percent
    return settings.subscribe_discount_percent
