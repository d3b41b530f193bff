"""Order use cases, as the API and other contexts call them: checkout turns a cart (`domain.carts`)
into an order; then reads, fulfilment, pre-orders and customer service.

Customer service: returns with a free replacement for a wrong item (`returns`), refunds of
returns, of given amounts and goodwill gestures (`refunds`), and the release of pre-orders
with the pre-order price guarantee (`preorders`); each module's docstring states its rules."""
from __future__ import annotations

from domain.orders import (
    checkout,
    ebook_returns,
    fulfilment,
    playback_refunds,
    preorder_cancellations,
    preorder_dates,
    preorders,
    reads,
    refunds,
    repository,
    return_decisions,
    returns,
    subscription_deliveries,
)

# Orders: reads as the caller may see them (`reads`); the sub-lists of an order the
# caller already sees come unfiltered from `repository`.
orders_by_ids = reads.orders_by_ids
order_by_number = reads.order_by_number
my_orders = reads.my_orders
shipments_by_ids = reads.shipments_by_ids
order_lines_by_ids = reads.lines_by_ids
order_refunds_by_ids = reads.refunds_by_ids
return_requests_by_ids = reads.returns_by_ids
seller_shipments = reads.seller_shipments
shipment_destinations = reads.shipment_destinations
shipments_for_orders = repository.shipments_for_orders
lines_for_orders = repository.lines_for_orders
lines_for_shipments = repository.lines_for_shipments
events_for_orders = repository.events_for_orders
refunds_for_orders = repository.refunds_for_orders
returns_for_orders = repository.returns_for_orders
returns_by_ids = repository.returns_by_ids

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
refund_return = return_decisions.refund_return
reject_return = return_decisions.reject_return
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

# Subscribe & Save: the delivery scheduler (reminders, then each due delivery placed once).
SUBSCRIPTION_DELIVERIES_JOB = subscription_deliveries.JOB
run_subscription_deliveries = subscription_deliveries.run_due
run_subscription_delivery_job = subscription_deliveries.run_job
schedule_subscription_deliveries = subscription_deliveries.schedule
