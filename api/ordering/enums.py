"""Ordering enums."""
from enum import Enum

import strawberry


@strawberry.enum(description="Where a cart stands: ACTIVE (it can change), MERGED (a guest cart moved into a customer's cart at sign-in; read-only), ORDERED (it became an order; read-only).")
class CartStatus(str, Enum):
    ACTIVE = "ACTIVE"
    MERGED = "MERGED"
    ORDERED = "ORDERED"


@strawberry.enum(description="How a shipment travels: STANDARD (always offered), TWO_DAY (items shipped by the platform; free for Prime members), SAME_DAY (items shipped by the platform, to listed cities, ordered before the city's local cut-off time), PICKUP (items shipped by the platform, collected at a pickup location).")
class DeliveryOptionKind(str, Enum):
    STANDARD = "STANDARD"
    TWO_DAY = "TWO_DAY"
    SAME_DAY = "SAME_DAY"
    PICKUP = "PICKUP"


@strawberry.enum(description="Something the customer should know about a cart line; it never blocks changes to the cart: PRICE_CHANGED (the offer's price moved since the line was added or last changed; see `previousUnitPrice`), QUANTITY_UNAVAILABLE (the seller has fewer units than the line asks for; see `availableQuantity`), OFFER_UNAVAILABLE (the seller withdrew the offer, the seller was suspended or the product withdrawn: the line counts in no total; remove it).")
class CartLineProblemCode(str, Enum):
    PRICE_CHANGED = "PRICE_CHANGED"
    QUANTITY_UNAVAILABLE = "QUANTITY_UNAVAILABLE"
    OFFER_UNAVAILABLE = "OFFER_UNAVAILABLE"


@strawberry.enum(description="How a cart's tax was worked out: CALCULATED (from the rate of the shipping address's country or region), NEEDS_ADDRESS (no shipping address yet: tax is 0 until one is set), NO_RATE (no rate is configured for the shipping address: tax is 0).")
class TaxStatus(str, Enum):
    CALCULATED = "CALCULATED"
    NEEDS_ADDRESS = "NEEDS_ADDRESS"
    NO_RATE = "NO_RATE"


@strawberry.enum(description="""Stable codes of ordering `userErrors` (a refused mutation changes nothing):
INVALID (malformed input, e.g. an empty list, a line twice, neither or both of addressId and address), NOT_FOUND
(no such cart, or not yours: a guest cart needs its cartToken; no such line in the cart, address in your book, or
shipment group in the cart; no guest cart has the token given to cartMerge), CART_NOT_ACTIVE (the cart was merged or
ordered and can no longer change), INVALID_QUANTITY (a quantity below 1; remove lines with cartLinesRemove),
QUANTITY_LIMIT (more units of one offer than one order may hold; see `quantityLimit`), QUANTITY_UNAVAILABLE (more units
than the seller has; see `availableQuantity`), OFFER_UNAVAILABLE (the offer does not exist, was withdrawn, its seller
is suspended or its product withdrawn), CURRENCY_MISMATCH (the offer is priced in another currency than the cart),
CART_FULL (a cart holds at most 100 lines by default), ADDRESS_INVALID (a field of the address is missing or malformed
for its country; see `field`), COUNTRY_NOT_SUPPORTED (we do not ship to that country), DELIVERY_OPTION_UNAVAILABLE
(the option is not available for this shipment; the message says why), SAME_DAY_UNAVAILABLE (same-day delivery
does not reach the address, or the city's cut-off time has passed; the message says which),
PICKUP_LOCATION_INVALID (PICKUP needs one of the group's listed pickup locations; other options take none).
Customer service: NOT_RETURNABLE (digital items are returned from the library; items that did not ship are cancelled
instead), RETURN_QUANTITY_EXCEEDED (more units than were bought less those returned or in open return requests; see
`availableQuantity`), RETURN_WINDOW_CLOSED (returns close 30 days after delivery by default), RETURN_NOT_OPEN (the
return request was already refunded or rejected), REASON_REQUIRED (a reason of 1-500 characters), INVALID_AMOUNT (an
amount at or below zero, or with more decimals than its currency has), REFUND_EXCEEDS_LINE (more than what was paid
for the line, its total and tax, less what was refunded on it), REFUND_EXCEEDS_CAPTURED (more than the order's payment
captured less what was refunded), NOT_CAPTURED (the line's shipment was not charged yet: cancel it instead),
IDEMPOTENCY_KEY_INVALID (a key is 1-200 visible ASCII characters), IDEMPOTENCY_KEY_REUSED (the key was used on this
order for a different refund), PAYMENT_FAILED (the order has no authorized payment), PAYMENT_DECLINED (the payment
provider declined the operation), PAYMENT_PROVIDER_ERROR (the payment provider failed; nothing was done, retry with
the same key), CAPTURE_EXCEEDS_AUTHORIZED (a capture above what is left of the authorization), REFUND_EXCEEDS_SALE and
REFUND_ALREADY_RECORDED (a seller's sale cannot take this refund: its ledger disagrees with the order).""")
class OrderingErrorCode(str, Enum):
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    CART_NOT_ACTIVE = "CART_NOT_ACTIVE"
    INVALID_QUANTITY = "INVALID_QUANTITY"
    QUANTITY_LIMIT = "QUANTITY_LIMIT"
    QUANTITY_UNAVAILABLE = "QUANTITY_UNAVAILABLE"
    OFFER_UNAVAILABLE = "OFFER_UNAVAILABLE"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    CART_FULL = "CART_FULL"
    ADDRESS_INVALID = "ADDRESS_INVALID"
    COUNTRY_NOT_SUPPORTED = "COUNTRY_NOT_SUPPORTED"
    DELIVERY_OPTION_UNAVAILABLE = "DELIVERY_OPTION_UNAVAILABLE"
    SAME_DAY_UNAVAILABLE = "SAME_DAY_UNAVAILABLE"
    PICKUP_LOCATION_INVALID = "PICKUP_LOCATION_INVALID"
    NOT_RETURNABLE = "NOT_RETURNABLE"
    RETURN_QUANTITY_EXCEEDED = "RETURN_QUANTITY_EXCEEDED"
    RETURN_WINDOW_CLOSED = "RETURN_WINDOW_CLOSED"
    RETURN_NOT_OPEN = "RETURN_NOT_OPEN"
    REASON_REQUIRED = "REASON_REQUIRED"
    INVALID_AMOUNT = "INVALID_AMOUNT"
    REFUND_EXCEEDS_LINE = "REFUND_EXCEEDS_LINE"
    REFUND_EXCEEDS_CAPTURED = "REFUND_EXCEEDS_CAPTURED"
    NOT_CAPTURED = "NOT_CAPTURED"
    IDEMPOTENCY_KEY_INVALID = "IDEMPOTENCY_KEY_INVALID"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    PAYMENT_DECLINED = "PAYMENT_DECLINED"
    PAYMENT_PROVIDER_ERROR = "PAYMENT_PROVIDER_ERROR"
    CAPTURE_EXCEEDS_AUTHORIZED = "CAPTURE_EXCEEDS_AUTHORIZED"
    REFUND_EXCEEDS_SALE = "REFUND_EXCEEDS_SALE"
    REFUND_ALREADY_RECORDED = "REFUND_ALREADY_RECORDED"
