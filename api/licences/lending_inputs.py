"""E-book lending mutation inputs."""
import strawberry

LOAN_ID = "Global ID of the loan (`EbookLoan.id`, from `viewer.customer.ebookLoans`)."


@strawberry.input(description="An e-book of yours to lend, and to whom.")
class LendEbookInput:
    licence_id: strawberry.ID = strawberry.field(description="Global ID of your licence of the e-book (`Licence.id`): a bought (PURCHASE) licence of a lendable title, never lent before.")
    email: str = strawberry.field(description="The e-mail address of the customer to lend it to (with or without an account yet; at most 254 characters). Not your own.")


@strawberry.input(description="A loan offered to you, by its ID or by the token of the invitation e-mail (one of the two).")
class EbookLoanAnswerInput:
    loan_id: strawberry.ID | None = strawberry.field(default=None, description=LOAN_ID)
    token: str | None = strawberry.field(default=None, description="The token of the invitation e-mail's link (at most 100 characters).")


@strawberry.input(description="A loan you borrowed, to give back before its end.")
class ReturnEbookLoanInput:
    loan_id: strawberry.ID = strawberry.field(description=LOAN_ID)
