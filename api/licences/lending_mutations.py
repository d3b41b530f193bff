"""E-book lending mutations: lending, accepting or declining a loan offered to you, and giving a
borrowed e-book back early. Each runs one use case in one transaction."""
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.mutations import run
from api.licences.lending_inputs import EbookLoanAnswerInput, LendEbookInput, ReturnEbookLoanInput
from api.licences.lending_types import EbookLoan, LendingError, LendingErrorCode
from domain.licences import service as licences
from domain.licences.lending.errors import LendingErrorCode as Codes
from domain.shared.errors import InvalidInput

MAX_TOKEN = 100


@strawberry.type(description="Result of a lending mutation.")
class EbookLoanPayload:
    loan: EbookLoan | None = strawberry.field(description="The loan as it is now; null on failure.")
    user_errors: list[LendingError] = strawberry.field(description="Why it failed; nothing was changed.")


def _answer(input: EbookLoanAnswerInput) -> dict:
    if input.token is not None and len(input.token) > MAX_TOKEN:
        raise InvalidInput(f"A token has at most {MAX_TOKEN} characters.", code=Codes.INVALID, field=["input", "token"])
    loan_id = None if input.loan_id is None else ids.decode_as(input.loan_id, "EbookLoan", "input.loanId")
    return {"loan_id": loan_id, "token": input.token}


async def _run(info: Info, use_case) -> EbookLoanPayload:
    loan, errors = await run(info, use_case, LendingError, LendingErrorCode)
    return EbookLoanPayload(loan=loan, user_errors=errors)


@strawberry.type
class LendingMutation:
    @strawberry.mutation(description="Lend one of your e-books, once, to another customer by e-mail: they get an e-mail with a link to accept within 7 days (whether or not the address has an account, the answer is the same), then read it for 14 days. From now until it comes back, you cannot read it: your devices see it SUSPENDED at their next `librarySync`. Refused: ALREADY_LENT, NOT_LENDABLE (rentals, membership and borrowed titles, titles not `lendable`), CANNOT_LEND_TO_YOURSELF, LICENCE_REVOKED (returned), LICENCE_EXPIRED, EMAIL_INVALID; another customer's licence is NOT_FOUND. Requires sign-in.")
    async def lend_ebook(self, info: Info, input: Annotated[LendEbookInput, MutationInput]) -> EbookLoanPayload:
        licence_id = ids.decode_as(input.licence_id, "Licence", "input.licenceId")
        settings = info.context.settings
        return await _run(info, lambda s, viewer: licences.lend_ebook(s, viewer, settings, licence_id, input.email))

    @strawberry.mutation(description="Accept a loan offered to you (signed in with the invited address), by its ID or the invitation's token, within 7 days of lending: a LOAN licence of the e-book is added to your library for 14 days (usual device limit; it expires then, LICENCE_EXPIRED at your next sync). LOAN_NOT_PENDING for a loan accepted, declined or not accepted in time; a loan offered to someone else is NOT_FOUND. Requires sign-in.")
    async def accept_ebook_loan(self, info: Info,
                                input: Annotated[EbookLoanAnswerInput, MutationInput]) -> EbookLoanPayload:
        settings = info.context.settings

        async def use_case(s, viewer):
            return await licences.accept_ebook_loan(s, viewer, settings, **_answer(input))
        return await _run(info, use_case)

    @strawberry.mutation(description="Decline a loan offered to you: the lender has the e-book back at once. LOAN_NOT_PENDING for a loan accepted, declined or not accepted in time; a loan offered to someone else is NOT_FOUND. Requires sign-in.")
    async def decline_ebook_loan(self, info: Info,
                                 input: Annotated[EbookLoanAnswerInput, MutationInput]) -> EbookLoanPayload:
        async def use_case(s, viewer):
            return await licences.decline_ebook_loan(s, viewer, **_answer(input))
        return await _run(info, use_case)

    @strawberry.mutation(description="Give an e-book you borrowed back before the loan ends: your LOAN licence expires (LICENCE_EXPIRED at your next sync) and the lender has it back. LOAN_NOT_ACTIVE for a loan not running; a loan you did not borrow is NOT_FOUND. Requires sign-in.")
    async def return_ebook_loan(self, info: Info,
                                input: Annotated[ReturnEbookLoanInput, MutationInput]) -> EbookLoanPayload:
        loan_id = ids.decode_as(input.loan_id, "EbookLoan", "input.loanId")
        return await _run(info, lambda s, viewer: licences.return_ebook_loan(s, viewer, loan_id))
