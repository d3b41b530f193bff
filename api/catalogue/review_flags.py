"""Product review flags for the catalogue team: the type, the administrators' list and the
mutation that resolves a flag. Anyone else gets a top-level FORBIDDEN or UNAUTHENTICATED error."""
import datetime
from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.catalogue.enums import CatalogueErrorCode
from api.catalogue.types import CatalogueError, Product
from api.core import ids
from api.core.arguments import After, First, MutationInput
from api.core.enums import graphql_enum
from api.core.mutations import run
from api.core.node import Node, node_id
from api.core.pagination import Connection, connection, page_request
from domain.catalogue import service as catalogue
from domain.catalogue import statuses as catalogue_statuses

ProductReviewFlagStatus = graphql_enum(catalogue_statuses.ProductReviewFlagStatus, description="Where a product review flag stands: OPEN (to check), RESOLVED (checked, with a note).")


@strawberry.type(description="A report that a product's catalogue data may be wrong (e.g. a customer received a different item than the product page shows), for the catalogue team. Administrators only.")
class ProductReviewFlag(Node):
    id: strawberry.ID = node_id("ProductReviewFlag")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, catalogue.ReviewFlag))

    source: str = strawberry.field(description="Where the report came from, e.g. WRONG_ITEM (a return of a wrong item).")
    reason: str = strawberry.field(description="What was reported.")
    reference: str | None = strawberry.field(description="What it is about, e.g. \"order-line:42\" (one open flag per product and reference).")
    created_at: datetime.datetime = strawberry.field(description="When it was reported (UTC).")
    resolved_at: datetime.datetime | None = strawberry.field(description="When it was resolved (UTC); null while open.")
    resolution_note: str | None = strawberry.field(description="What was done, as the administrator who resolved it wrote.")

    @strawberry.field(description="OPEN or RESOLVED.")
    def status(self) -> ProductReviewFlagStatus:
        return ProductReviewFlagStatus(self.status)

    @strawberry.field(description="The product flagged; null if it was since withdrawn from the catalogue.")
    async def product(self, info: Info) -> Product | None:
        return await info.context.loaders.product_by_id.load(self.product_id)


FlagStatusArg = Annotated[Optional[ProductReviewFlagStatus], strawberry.argument(
    description="Only flags in this status: OPEN ones oldest first (the order to work them in), RESOLVED ones newest first; all, newest first, when omitted.")]


@strawberry.type
class ReviewFlagQuery:
    @strawberry.field(description="Product review flags. Administrators only. Page size 1-100 (default 20).")
    async def product_review_flags(self, info: Info, status: FlagStatusArg = None, first: First = None,
                                   after: After = None) -> Connection[ProductReviewFlag]:
        page = page_request(first, after)
        return connection(await catalogue.review_flags_page(info.context.reader, await info.context.viewer(),
                                                            status.value if status else None, page))


@strawberry.input(description="A product review flag to close.")
class ResolveProductReviewFlagInput:
    flag_id: strawberry.ID = strawberry.field(description="`ProductReviewFlag.id` of an open flag.")
    note: str = strawberry.field(description="What was checked or corrected, 1-1000 characters.")


@strawberry.type(description="Result of `resolveProductReviewFlag`.")
class ResolveProductReviewFlagPayload:
    product_review_flag: ProductReviewFlag | None = strawberry.field(description="The flag, now RESOLVED; null on failure.")
    user_errors: list[CatalogueError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type
class ReviewFlagMutation:
    @strawberry.mutation(description="Close a product review flag with a note saying what was done. Administrators only.")
    async def resolve_product_review_flag(self, info: Info, input: Annotated[ResolveProductReviewFlagInput, MutationInput]) -> ResolveProductReviewFlagPayload:
        flag_id = ids.decode_as(input.flag_id, "ProductReviewFlag", "input.flagId")
        flag, errors = await run(info, lambda s, viewer: catalogue.resolve_flag(s, viewer, flag_id, input.note),
                                 CatalogueError, CatalogueErrorCode)
        return ResolveProductReviewFlagPayload(product_review_flag=flag, user_errors=errors)
