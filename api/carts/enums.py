"""Cart enums, and the error codes of every cart and order mutation (one `OrderingErrorCode`,
so a client handles one set of codes from the cart through checkout to refunds)."""

from api.core.enums import error_codes, graphql_enum
from domain.carts import errors as carts_errors
from domain.carts import statuses as carts_statuses
from domain.licences.errors import LicenceStateErrorCode

CartStatus = graphql_enum(carts_statuses.CartStatus, description="Where a cart stands: ACTIVE (it can change), MERGED (a guest cart moved into a customer's cart at sign-in; read-only), ORDERED (it became an order; read-only).")

DeliveryOptionKind = graphql_enum(carts_statuses.DeliveryOptionKind, description="How a shipment travels: STANDARD (always offered), TWO_DAY (items shipped by the platform; free for Prime members), SAME_DAY (items shipped by the platform, to listed cities, ordered before the city's local cut-off time; never with a pre-ordered item not released yet), PICKUP (items shipped by the platform, collected at a pickup location).")


CartLineProblemCode = graphql_enum(carts_statuses.CartLineProblemCode, description="Something the customer should know about a cart line; it never blocks changes to the cart: PRICE_CHANGED (the offer's price moved since the line was added or last changed; see `previousUnitPrice`), QUANTITY_UNAVAILABLE (the seller has fewer units than the line asks for; see `availableQuantity`), OFFER_UNAVAILABLE (the seller withdrew the offer, the seller was suspended or the product withdrawn: the line counts in no total; remove it), ALREADY_OWNED (the e-book or video is in your library already: bought, or, for a rental line, bought or rented and still playable; placeOrder refuses the line), MEMBERSHIP_NOT_SOLD_IN_CART (a membership plan: join with joinPrime instead; placeOrder refuses the line).")

TaxStatus = graphql_enum(carts_statuses.TaxStatus, description="How a cart's tax was worked out, from the address tax follows: the shipping address of a cart with items to ship; for digital items only (e-books, streams), the billing address, or the shipping address when there is no billing address. CALCULATED (from the rate of that address's country or region), NEEDS_ADDRESS (no such address yet: tax is 0 until one is set, and a digital-only cart cannot be placed: BILLING_ADDRESS_REQUIRED), NO_RATE (no rate is configured for that address: tax is 0).")


OrderingErrorCode = error_codes(carts_errors.OrderingErrorCode, shared=(LicenceStateErrorCode.LICENCE_REVOKED,), description="""Stable codes of ordering `userErrors` (a refused mutation changes nothing):
INVALID (malformed input, e.g. an empty list, a line twice, neither or both of addressId and address), NOT_FOUND
(no such cart, or not yours: a guest cart needs its cartToken; no such line in the cart, address in your book, or
shipment group in the cart; no guest cart has the token given to mergeGuestCart), CART_NOT_ACTIVE (the cart was merged or
ordered and can no longer change), INVALID_QUANTITY (a quantity below 1; remove lines with removeCartLines),
QUANTITY_LIMIT (more units of one offer than one order may hold, 1 for a digital title; see `quantityLimit`), QUANTITY_UNAVAILABLE (more units
than the seller has; see `availableQuantity`), OFFER_UNAVAILABLE (the offer does not exist, was withdrawn, its seller
is suspended or its product withdrawn), CURRENCY_MISMATCH (the offer is priced in another currency than the cart),
CART_FULL (a cart holds at most 100 lines by default), MEMBERSHIP_NOT_SOLD_IN_CART (a membership plan is not bought
through the cart: join with the joinPrime mutation), NOT_SUBSCRIBE_ELIGIBLE (a line's `subscription` on a product
that is not a Subscribe & Save product), INVALID_FREQUENCY (a subscription's frequency is not 1-6 months), ADDRESS_INVALID (a field of the address is missing or malformed
for its country; see `field`), COUNTRY_NOT_SUPPORTED (we do not ship to that country), DELIVERY_OPTION_UNAVAILABLE
(the option is not available for this shipment; the message says why), SAME_DAY_UNAVAILABLE (same-day delivery
does not reach the address, or the city's cut-off time has passed; the message says which),
PICKUP_LOCATION_INVALID (PICKUP needs one of the group's listed pickup locations; other options take none).
placeOrder adds: CART_EMPTY (the cart has no lines), SHIPPING_ADDRESS_REQUIRED (the cart has items to ship and no
shipping address), BILLING_ADDRESS_REQUIRED (the cart has digital items only and neither a billing nor a shipping
address to tax them at: set one with setCartBillingAddress), TOTAL_CHANGED (the total is not the `expectedTotal` the client showed; see `expectedTotal` and
`total`, show the new total and place again; also when a membership lapsed since the cart was shown and its member prices
or free delivery no longer apply), ALREADY_OWNED (a line's title is in your library already; see `lineId`: remove the
line; nothing is charged twice), MEMBERSHIP_NOT_SOLD_IN_CART (a line is a membership plan; see `lineId`: remove it and join
with joinPrime), PAYMENT_DECLINED (the payment method was refused; see `declineCode`,
e.g. card_declined, insufficient_funds; ask for another payment method and place again, with the same idempotency key
or a new one), PAYMENT_PROVIDER_ERROR (the payment provider did not answer or failed; nothing was charged, retry with
the same idempotency key), IDEMPOTENCY_KEY_INVALID (the
key is not 1-200 visible ASCII characters), IDEMPOTENCY_KEY_REUSED (the key was already used for a different request;
use a new key for a new request), IDEMPOTENCY_KEY_IN_PROGRESS (a request with the same key is still running; retry
in a moment), ORDER_NUMBER_INVALID (not of the form TRB-YYYY-NNNNNNN-C, or its check digit shows a typo).
Shipping and cancelling add: SHIPMENT_NOT_PENDING (only a PENDING physical shipment can be marked shipped; the message gives its status),
PREORDER_NOT_RELEASED (the shipment is a pre-order awaiting its release date; it cannot ship yet),
SHIPMENT_NOT_SHIPPED (only a SHIPPED shipment can be marked delivered; the message gives its status),
SHIPMENT_NOT_CANCELLABLE (the shipment has left or was delivered; only a PENDING or AWAITING_RELEASE shipment can be
cancelled), ORDER_NOT_CANCELLABLE (part of the order shipped or a digital item was delivered; return the items
instead), LINE_NOT_CANCELLABLE (cancelPreorderLine: the line is not a pre-order awaiting its release; the message
gives its shipment's status), REASON_REQUIRED (give a reason of 1 to 500 characters), PAYMENT_FAILED (the order has no authorized
payment), CAPTURE_EXCEEDS_AUTHORIZED (less is left of the authorization than the shipment's share),
NOTHING_TO_VOID (nothing is left of the authorization to release).
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
REFUND_ALREADY_RECORDED (a seller's sale cannot take this refund: its ledger disagrees with the order).
returnEbook adds: NOT_FOUND (no such licence in your library), LICENCE_REVOKED (the e-book was already returned, or
its licence revoked), NOT_RETURNABLE (only a bought e-book goes back, not a rental or a membership title),
RETURN_WINDOW_CLOSED (e-books go back within 7 days of purchase by default), READ_TOO_MUCH (more than 10% of the
e-book was read; see `percentRead`), REASON_REQUIRED (a reason of 1-500 characters).""")
