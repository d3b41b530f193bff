"""Ordering use cases, as the API and other contexts call them.

Carts (`carts`): guest and customer carts, their lines, shipping address and delivery choices,
and the merge of a guest cart at sign-in; what a cart shows is computed in `views` (prices
and problems), `delivery` (options per shipment group), `tax` and `pricing` (totals).

Customer service: returns with a free replacement for a wrong item (`returns`), refunds of
returns, of given amounts and goodwill gestures (`refunds`), and the release of pre-orders
with the pre-order price guarantee (`preorders`); each module's docstring states its rules."""
from __future__ import annotations

from domain.ordering import (
    carts,
    checkout,
    ebook_returns,
    estimates,
    fulfilment,
    order_reads,
    order_repository,
    playback_refunds,
    preorder_cancellations,
    preorder_dates,
    preorders,
    refunds,
    returns,
)
from domain.ordering.entities import CartLimits, CartView, hash_token  # noqa: F401

LineRequest = carts.LineRequest
LineChange = carts.LineChange
CartRef = carts.CartRef
MergeResult = carts.MergeResult

create_cart = carts.create
add_cart_lines = carts.add_lines
update_cart_lines = carts.update_lines
remove_cart_lines = carts.remove_lines
set_cart_shipping_address = carts.set_shipping_address
set_cart_billing_address = carts.set_billing_address
select_cart_delivery_option = carts.select_delivery_option
merge_guest_cart = carts.merge

find_cart = carts.find_cart
carts_by_ids = carts.carts_by_ids

# Delivery estimates without a cart (`estimates`): the product page's "arrives by".
DeliveryLocation = estimates.Location
delivery_location = estimates.location
delivery_context = estimates.delivery_context
delivery_estimate = estimates.estimate
needs_delivery = estimates.needs_delivery

# Orders: reads as the caller may see them (`order_reads`); the sub-lists of an order the
# caller already sees come unfiltered from `order_repository`.
orders_by_ids = order_reads.orders_by_ids
order_by_number = order_reads.order_by_number
my_orders = order_reads.my_orders
shipments_by_ids = order_reads.shipments_by_ids
seller_shipments = order_reads.seller_shipments
shipment_destinations = order_reads.shipment_destinations
shipments_for_orders = order_repository.shipments_for_orders
lines_for_orders = order_repository.lines_for_orders
lines_for_shipments = order_repository.lines_for_shipments
events_for_orders = order_repository.events_for_orders
refunds_for_orders = order_repository.refunds_for_orders
returns_for_orders = order_repository.returns_for_orders
returns_by_ids = order_repository.returns_by_ids
pickup_locations_by_ids = order_repository.pickup_locations_by_ids

# Checkout (`checkout`): a customer's cart becomes an order, once per idempotency key.
place_order = checkout.place_order
# After checkout (`fulfilment`): shipping, delivery and cancellation, each locking the order
# row first; `settle_remainder` voids what is left of the payment once nothing is left to ship.
mark_shipped = fulfilment.mark_shipped
mark_delivered = fulfilment.mark_delivered
cancel_order = fulfilment.cancel_order
cancel_shipment = fulfilment.cancel_shipment
settle_remainder = fulfilment.settle_remainder
# The customer cancels one pre-ordered line before its release (`preorder_cancellations`).
cancel_preorder_line = preorder_cancellations.cancel_preorder_line
# Customer service: returns (`returns`), refunds (`refunds`), pre-order release (`preorders`).
ReturnLineRequest = returns.ReturnLineRequest
request_return = returns.request_return
LineRefund = refunds.LineRefund
refund_return = refunds.refund_return
reject_return = refunds.reject_return
refund_order = refunds.refund_order
goodwill_refund = refunds.goodwill_refund
# An e-book bought by mistake, returned from the library (`ebook_returns`).
EbookReturn = ebook_returns.EbookReturn
return_ebook = ebook_returns.return_ebook
# Playback reports of videos, and the automatic refund of a rental that played badly.
PlaybackResult = playback_refunds.PlaybackResult
report_playback = playback_refunds.report_playback
release_due_preorders = preorders.release_due
release_preorders_now = preorders.release_now
schedule_preorder_release = preorders.schedule_release
run_preorder_release_job = preorders.run_release_job
# Pre-orders follow their product's release date when the catalogue moves it (`preorder_dates`).
follow_release_date = preorder_dates.follow_release_date
