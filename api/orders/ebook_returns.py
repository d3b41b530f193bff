"""Returning an e-book bought by mistake: one use case in one transaction; the rules are in
`domain.orders.ebook_returns`."""
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.carts.enums import OrderingErrorCode
from api.carts.types import OrderingError
from api.core import ids
from api.core.arguments import MutationInput
from api.core.mutations import run
from api.licences.types import Licence
from api.orders.types import OrderRefund
from domain.orders import service as orders


@strawberry.input(description="An e-book of your library to return.")
class ReturnEbookInput:
    licence_id: strawberry.ID = strawberry.field(description="`Licence.id` of an e-book you bought.")
    reason: str = strawberry.field(description="Why, 1-500 characters (e.g. \"Bought by mistake\").")


@strawberry.type(description="Result of `returnEbook`.")
class ReturnEbookPayload:
    licence: Licence | None = strawberry.field(description="The licence, now REVOKED; null on failure.")
    refund: OrderRefund | None = strawberry.field(description="The refund (kind RETURN); null on failure, or when nothing was left to refund on the line (a free e-book, or one refunded before).")
    user_errors: list[OrderingError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type
class EbookReturnMutation:
    @strawberry.mutation(description="Return an e-book bought by mistake, within 7 days of purchase (TRIBUTARY_EBOOK_RETURN_DAYS) and while at most 10% of it was read: what was paid for it (price and tax) goes back to the order's payment method, the seller's sale is reversed, and the licence is revoked, so every device drops the title at its next `librarySync`. The licence's owner only; another customer's licence is NOT_FOUND.")
    async def return_ebook(self, info: Info, input: Annotated[ReturnEbookInput, MutationInput]) -> ReturnEbookPayload:
        licence_id = ids.decode_as(input.licence_id, "Licence", "input.licenceId")
        days = info.context.settings.ebook_return_days
        provider = info.context.payments
        result, errors = await run(info, lambda s, viewer: orders.return_ebook(
            s, viewer, provider, licence_id, input.reason, return_days=days), OrderingError, OrderingErrorCode)
        return ReturnEbookPayload(licence=result and result.licence, refund=result and result.refund,
                                  user_errors=errors)
