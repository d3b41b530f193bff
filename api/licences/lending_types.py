"""E-book lending GraphQL types: a loan as its lender and its borrower see it, and its errors.
The borrower's address is masked: the lender typed it, and a page shown to anyone else gives
nothing away."""
import datetime

import strawberry
from strawberry.types import Info

from api.catalogue.types import Product
from api.core.enums import error_codes, graphql_enum
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.node import Node, node_id
from domain.licences.errors import LicenceStateErrorCode
from domain.licences.lending import entities
from domain.licences.lending import errors as lending_errors
from domain.licences.lending import statuses as lending_statuses

EbookLoanStatus = graphql_enum(lending_statuses.EbookLoanStatus, description="Where a loan is: PENDING (offered, waiting for the invited customer to accept within 7 days; the lender cannot read the book meanwhile), ACTIVE (accepted: the borrower reads it until `endsAt`), DECLINED (the invited customer said no), NOT_ACCEPTED (not accepted in time), RETURNED (over, or given back early). After PENDING and ACTIVE the lender has the book back.")

LendingErrorCode = error_codes(lending_errors.LendingErrorCode, shared=(
    LicenceStateErrorCode.LICENCE_REVOKED, LicenceStateErrorCode.LICENCE_EXPIRED), description="""Stable codes of e-book lending `userErrors` (a refused mutation changes nothing):
INVALID (malformed input: give either `loanId` or `token`), NOT_FOUND (no such licence in your library, or no such loan
offered to or borrowed by you), EMAIL_INVALID (not an e-mail address), LICENCE_REVOKED (the e-book was returned or
refunded), LICENCE_EXPIRED (the licence is over), NOT_LENDABLE (a rental, a membership or borrowed title, or a title
its publisher does not allow lending: `Product.lendable` is false), ALREADY_LENT (a licence is lent once, ever: it is
lent now or was before), CANNOT_LEND_TO_YOURSELF (the address is your own), LOAN_NOT_PENDING (the loan was accepted,
declined, or not accepted in time), LOAN_NOT_ACTIVE (the loan is not running: not accepted yet, or over).""")


@strawberry.type(description="An expected failure of an e-book lending mutation; nothing was changed.")
class LendingError(UserError):
    code: UserErrorCode = LendingErrorCode.field()


@strawberry.type(description="One e-book lent by one customer to another: offered by e-mail, accepted within 7 days, then read by the borrower for 14 days while the lender cannot. Visible to its lender, its borrower (or whoever signs in with the invited address) and administrators.")
class EbookLoan(Node):
    id: strawberry.ID = node_id("EbookLoan")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.EbookLoan)

    status: EbookLoanStatus = strawberry.field(description="Where the loan is; see `EbookLoanStatus`.")
    title: str = strawberry.field(description="The e-book's title.")
    lender_name: str = strawberry.field(description="The lender's display name.")
    lent_at: datetime.datetime = strawberry.field(description="When it was lent (UTC).")
    accept_by: datetime.datetime = strawberry.field(description="The deadline to accept it (UTC); after it, a PENDING loan goes back to the lender.")
    accepted_at: datetime.datetime | None = strawberry.field(description="When the borrower accepted it (UTC); null unless accepted.")
    ends_at: datetime.datetime | None = strawberry.field(description="When an accepted loan ends and the book goes back to the lender (UTC); null before it is accepted.")
    ended_at: datetime.datetime | None = strawberry.field(description="When the loan ended (declined, not accepted, returned; UTC); null while PENDING or ACTIVE.")

    @strawberry.field(description="The invited address, masked but its first character and its domain (`a***@example.com`).")
    def borrower_email(self) -> str:
        return self.borrower_email_masked

    @strawberry.field(description="True when you are the lender, false when the loan was offered to you or borrowed by you (and for an administrator looking at someone else's).")
    async def lent_by_you(self, info: Info) -> bool:
        return (await info.context.viewer()).account_id == self.lender_account_id

    @strawberry.field(description="The e-book in the catalogue; null once it was withdrawn.")
    async def product(self, info: Info) -> Product | None:
        return await info.context.loaders.product_by_id.load(self.product_id)
