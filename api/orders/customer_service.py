"""Customer service mutations: returns (with a free replacement for a wrong item), refunds of
returns, of given amounts and goodwill gestures, and releasing due pre-orders. Each runs one use
case in one transaction; the rules and who may call are in the domain (`domain.orders`)."""
import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.carts.enums import OrderingErrorCode
from api.carts.types import OrderingError
from api.core import ids
from api.core.arguments import MutationInput
from api.core.mutations import run
from api.marketplace.inputs import MoneyInput
from api.orders.enums import ReturnReason
from api.orders.types import Order, OrderRefund, ReturnRequest
from domain.orders import service as orders

IDEMPOTENCY_KEY = ("Your key for this refund, 1-200 visible ASCII characters (a UUID is a good choice): sending the"
                   " same key again for this order returns the first refund instead of refunding twice (a different"
                   " refund with it is IDEMPOTENCY_KEY_REUSED).")


@strawberry.input(description="Units of one order line to send back.")
class ReturnLineInput:
    order_line_id: strawberry.ID = strawberry.field(description="`OrderLine.id` of a physical line of the order whose shipment was shipped or delivered.")
    quantity: int = strawberry.field(description="Units, 1 up to those bought less those returned or in open return requests.")


@strawberry.input(description="A request to return items of an order.")
class RequestReturnInput:
    order_id: strawberry.ID = strawberry.field(description="Global ID of your order.")
    reason: ReturnReason = strawberry.field(description="Why the items go back; WRONG_ITEM ships a free replacement at once.")
    comment: str = strawberry.field(default="", description="Your words for customer service, at most 1000 characters (may be empty).")
    lines: list[ReturnLineInput] = strawberry.field(description="The lines and units to send back, each line once (a WRONG_ITEM request: the lines of one shipment).")


@strawberry.input(description="A return request to accept and refund.")
class RefundReturnInput:
    return_request_id: strawberry.ID = strawberry.field(description="`ReturnRequest.id` of an open (REQUESTED) request.")


@strawberry.input(description="A return request to refuse.")
class RejectReturnInput:
    return_request_id: strawberry.ID = strawberry.field(description="`ReturnRequest.id` of an open (REQUESTED) request.")
    reason: str = strawberry.field(description="Why, 1-500 characters; the customer reads it.")


@strawberry.input(description="An amount to refund on one order line.")
class LineRefundInput:
    order_line_id: strawberry.ID = strawberry.field(description="`OrderLine.id` of a line of the order whose shipment was charged.")
    amount: MoneyInput = strawberry.field(description="Above zero, in the order's currency, at most what was paid for the line (its total and tax) less what was refunded on it.")


@strawberry.input(description="Given amounts to refund on given lines of an order.")
class RefundOrderInput:
    order_id: strawberry.ID = strawberry.field(description="Global ID of the order.")
    lines: list[LineRefundInput] = strawberry.field(description="The lines and amounts, each line once; together at most what the payment captured less what was refunded.")
    reason: str = strawberry.field(description="Why, 1-500 characters; the customer reads it.")
    idempotency_key: str = strawberry.field(description=IDEMPOTENCY_KEY)


@strawberry.input(description="A goodwill refund: money given back as a gesture, not tied to lines.")
class IssueGoodwillRefundInput:
    order_id: strawberry.ID = strawberry.field(description="Global ID of the order.")
    amount: MoneyInput = strawberry.field(description="Above zero, in the order's currency, at most what the payment captured less what was refunded.")
    reason: str = strawberry.field(description="Why, 1-500 characters; the customer reads it.")
    idempotency_key: str = strawberry.field(description=IDEMPOTENCY_KEY)


@strawberry.input(description="Which pre-orders to release now (all fields optional: `{}` releases what is due today).")
class ReleasePreordersInput:
    due_by: datetime.date | None = strawberry.field(default=None, description="Release shipments due on or before this date (UTC); today when omitted. A later date is INVALID: nothing is released before its release date.")


@strawberry.type(description="Result of `requestReturn`.")
class RequestReturnPayload:
    return_request: ReturnRequest | None = strawberry.field(description="The new return request; null on failure.")
    order: Order | None = strawberry.field(description="The order as it is now (with a WRONG_ITEM replacement shipment); null on failure.")
    user_errors: list[OrderingError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `refundReturn` and `rejectReturn`.")
class ReturnDecisionPayload:
    return_request: ReturnRequest | None = strawberry.field(description="The return request as it is now; null on failure.")
    user_errors: list[OrderingError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `refundOrder` and `issueGoodwillRefund`.")
class RefundPayload:
    refund: OrderRefund | None = strawberry.field(description="The refund (the first one when the idempotency key was used before); null on failure.")
    order: Order | None = strawberry.field(description="The order as it is now; null on failure.")
    user_errors: list[OrderingError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `releasePreorders`.")
class ReleasePreordersPayload:
    released_shipment_count: int = strawberry.field(description="Pre-order shipments released now (0 when none was due or another run had them).")
    user_errors: list[OrderingError] = strawberry.field(description="Why it failed; nothing was changed.")


async def _order(info: Info, order_id: int | None) -> Order | None:
    return None if order_id is None else await info.context.loaders.order_by_id.load(order_id)


def _return_id(global_id: str) -> int:
    return ids.decode_as(global_id, "ReturnRequest", "input.returnRequestId")


async def _decided(info: Info, use_case) -> ReturnDecisionPayload:
    provider = info.context.payments
    request, errors = await run(info, lambda s, viewer: use_case(s, viewer, provider), OrderingError,
                                OrderingErrorCode)
    return ReturnDecisionPayload(return_request=request, user_errors=errors)


async def _refunded(info: Info, order_id: int, use_case) -> RefundPayload:
    provider = info.context.payments
    refund, errors = await run(info, lambda s, viewer: use_case(s, viewer, provider), OrderingError,
                               OrderingErrorCode)
    return RefundPayload(refund=refund, order=await _order(info, refund and order_id), user_errors=errors)


@strawberry.type
class CustomerServiceMutation:
    @strawberry.mutation(description="Ask to return physical items of your order that were shipped or delivered, within 30 days of delivery (by default). Nothing is refunded yet: customer service or the seller accepts the request (`refundReturn`) once the items are back. WRONG_ITEM ships a free replacement at once and flags the product's catalogue data for review. The order's customer (or an administrator); another customer's order is NOT_FOUND.")
    async def request_return(self, info: Info, input: Annotated[RequestReturnInput, MutationInput]) -> RequestReturnPayload:
        order_id = ids.decode_as(input.order_id, "Order", "input.orderId")
        lines = [orders.ReturnLineRequest(ids.decode_as(line.order_line_id, "OrderLine", "input.lines.orderLineId"),
                                            line.quantity) for line in input.lines]
        window = info.context.settings.return_window_days
        provider = info.context.payments
        request, errors = await run(info, lambda s, viewer: orders.request_return(
            s, viewer, provider, order_id, input.reason.name, input.comment, lines, return_window_days=window),
            OrderingError, OrderingErrorCode)
        return RequestReturnPayload(return_request=request, order=await _order(info, request and order_id),
                                    user_errors=errors)

    @strawberry.mutation(description="Accept a return request and refund it: the returned units' price and their share of the line's tax go back to the customer's payment method, and the seller's sale is reversed in proportion. Customer service (administrators) or the staff of the seller that sold the items.")
    async def refund_return(self, info: Info, input: Annotated[RefundReturnInput, MutationInput]) -> ReturnDecisionPayload:
        request_id = _return_id(input.return_request_id)
        return await _decided(info, lambda s, viewer, provider: orders.refund_return(s, viewer, provider,
                                                                                        request_id))

    @strawberry.mutation(description="Refuse a return request with a reason the customer reads. Customer service (administrators) or the staff of the seller that sold the items.")
    async def reject_return(self, info: Info, input: Annotated[RejectReturnInput, MutationInput]) -> ReturnDecisionPayload:
        request_id = _return_id(input.return_request_id)
        return await _decided(info, lambda s, viewer, provider: orders.reject_return(s, viewer, request_id,
                                                                                        input.reason))

    @strawberry.mutation(description="Refund given amounts on given lines of an order (e.g. a partial refund for a damaged item kept by the customer); the lines' sellers give back their share. Administrators only.")
    async def refund_order(self, info: Info, input: Annotated[RefundOrderInput, MutationInput]) -> RefundPayload:
        order_id = ids.decode_as(input.order_id, "Order", "input.orderId")
        lines = [orders.LineRefund(ids.decode_as(line.order_line_id, "OrderLine", "input.lines.orderLineId"),
                                     line.amount.to_domain()) for line in input.lines]
        return await _refunded(info, order_id, lambda s, viewer, provider: orders.refund_order(
            s, viewer, provider, order_id, lines, input.reason, input.idempotency_key))

    @strawberry.mutation(description="Give money back as a gesture (a late parcel, a bad experience), up to what the payment captured less what was refunded. The platform pays for it: no seller's balance changes. Administrators only.")
    async def issue_goodwill_refund(self, info: Info, input: Annotated[IssueGoodwillRefundInput, MutationInput]) -> RefundPayload:
        order_id = ids.decode_as(input.order_id, "Order", "input.orderId")
        amount = input.amount.to_domain()
        return await _refunded(info, order_id, lambda s, viewer, provider: orders.goodwill_refund(
            s, viewer, provider, order_id, amount, input.reason, input.idempotency_key))

    @strawberry.mutation(description="Release the pre-orders due today now (a daily job does it at midnight UTC): each line is charged the lowest price its offer had since the order (the pre-order price guarantee), the shipment's payment is captured, physical items go to their seller to ship and digital ones to the library. Administrators only.")
    async def release_preorders(self, info: Info, input: Annotated[ReleasePreordersInput, MutationInput]) -> ReleasePreordersPayload:
        provider = info.context.payments
        count, errors = await run(info, lambda s, viewer: orders.release_preorders_now(
            s, viewer, provider, due_by=input.due_by),
                                  OrderingError, OrderingErrorCode)
        return ReleasePreordersPayload(released_shipment_count=count or 0, user_errors=errors)
