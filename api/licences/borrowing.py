"""Prime Reading mutations: borrowing a title of the membership library and returning it. Each
runs one use case of the subscriptions context in one transaction; a refusal writes nothing."""
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.enums import error_codes
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.mutations import run
from api.licences.inputs import LICENCE_ID
from api.licences.types import Licence
from domain.subscriptions import errors as subscription_errors
from domain.subscriptions import service as subscriptions

BorrowErrorCode = error_codes(subscription_errors.BorrowErrorCode, description="""Stable codes of `borrowTitle` and
`returnBorrowedTitle` `userErrors` (a refused mutation changes nothing): INVALID (malformed input), NOT_FOUND (no such
product, or no such licence in your library), NOT_A_MEMBER (borrowing is for Prime members: join Prime first),
NOT_INCLUDED (the title is not in the membership library: see `Product.includedWithPrime`), BORROW_LIMIT_REACHED (you
have the most titles borrowed at once, 10 by default: return one first), ALREADY_IN_LIBRARY (you own, rent or have
borrowed the title already), NOT_BORROWED (the licence is not a title borrowed now: bought, returned or expired).""")


@strawberry.type(description="Why borrowing or returning a title failed; nothing was changed.")
class BorrowError(UserError):
    code: UserErrorCode = BorrowErrorCode.field()


@strawberry.input(description="A title of the membership library to borrow.")
class BorrowTitleInput:
    product_id: strawberry.ID = strawberry.field(description="Global ID of a product with `includedWithPrime` (an e-book or a streaming video).")


@strawberry.input(description="A borrowed title to give back.")
class ReturnBorrowedTitleInput:
    licence_id: strawberry.ID = strawberry.field(description=f"{LICENCE_ID} Must be a MEMBERSHIP licence that is ACTIVE.")


@strawberry.type(description="Result of `borrowTitle` and `returnBorrowedTitle`.")
class BorrowPayload:
    licence: Licence | None = strawberry.field(description="The MEMBERSHIP licence as it is now (ACTIVE once borrowed, REVOKED once returned); null on failure.")
    user_errors: list[BorrowError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type
class BorrowingMutation:
    @strawberry.mutation(description="Borrow a title of the membership library (Prime Reading): a MEMBERSHIP licence in your library, used on your devices, downloaded and synced like a bought one, for as long as you are a member (at its end devices get LICENCE_EXPIRED at their next sync; join again within 7 days and the titles come back). At most 10 titles at once by default (BORROW_LIMIT_REACHED); NOT_A_MEMBER without a live membership, NOT_INCLUDED for a title the membership does not include, ALREADY_IN_LIBRARY for one you own or borrowed. Counts as a use of the membership's benefits (a cancel then refunds nothing). Requires sign-in.")
    async def borrow_title(self, info: Info, input: Annotated[BorrowTitleInput, MutationInput]) -> BorrowPayload:
        product_id = ids.decode_as(input.product_id, "Product", "input.productId")
        settings = info.context.settings
        licence, errors = await run(info, lambda s, viewer: subscriptions.borrow_title(s, viewer, settings, product_id),
                                    BorrowError, BorrowErrorCode)
        return BorrowPayload(licence=licence, user_errors=errors)

    @strawberry.mutation(description="Give back a title you borrowed through the membership, freeing its slot: the licence is revoked and devices delete the title at their next sync (LICENCE_REVOKED). NOT_BORROWED for a licence that is not a borrowed title now; another customer's licence is NOT_FOUND. Requires sign-in.")
    async def return_borrowed_title(self, info: Info,
                                    input: Annotated[ReturnBorrowedTitleInput, MutationInput]) -> BorrowPayload:
        licence_id = ids.decode_as(input.licence_id, "Licence", "input.licenceId")
        licence, errors = await run(info, lambda s, viewer: subscriptions.return_borrowed_title(s, viewer, licence_id),
                                    BorrowError, BorrowErrorCode)
        return BorrowPayload(licence=licence, user_errors=errors)
