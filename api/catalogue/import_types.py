"""The products import's GraphQL types: an import's progress and the rows it refused."""
import datetime

import strawberry

from api.catalogue.enums import CatalogueErrorCode, ProductImportFormat, ProductImportStatus
from api.core.error_codes import UserErrorCode
from api.core.node import Node, node_id
from domain.catalogue import entities


def _error_code(code: str) -> UserErrorCode:
    return UserErrorCode(code) if code in CatalogueErrorCode else UserErrorCode.INVALID


@strawberry.type(description="Why one row of a products file was not imported.")
class ProductImportRowError:
    row: int = strawberry.field(description="The line of the file the record starts on (the CSV header is line 1).")
    field: str | None = strawberry.field(description="The column at fault (`isbn`, `category`...), when one is.")
    code: UserErrorCode = strawberry.field(description="Stable code, as in `userErrors` (the catalogue's codes).")
    message: str = strawberry.field(description="What is wrong, in words.")


@strawberry.type(description="A staged products import and its progress. Visible to administrators only.")
class ProductImport(Node):
    id: strawberry.ID = node_id("ProductImport")
    dry_run: bool = strawberry.field(description="True when rows are only validated: nothing is written.")
    chunks: int = strawberry.field(description="Chunks uploaded so far.")
    size_bytes: int = strawberry.field(description="Bytes uploaded so far (UTF-8); at most 50,000,000.")
    rows_total: int | None = strawberry.field(description="Records in the file; null until the import runs.")
    rows_processed: int = strawberry.field(description="Records handled so far (imported or refused).")
    rows_created: int = strawberry.field(description="Records that created a product.")
    rows_updated: int = strawberry.field(description="Records that updated a product (matched by ISBN or slug).")
    rows_failed: int = strawberry.field(description="Records refused; see `errors`.")
    failure_message: str | None = strawberry.field(description="Why the file could not be read at all, when FAILED.")
    created_at: datetime.datetime = strawberry.field(description="When the import was opened (UTC).")
    started_at: datetime.datetime | None = strawberry.field(description="When a worker started it (UTC).")
    finished_at: datetime.datetime | None = strawberry.field(description="When it ended, DONE or FAILED (UTC).")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.ProductImport)

    @strawberry.field(description="CSV or JSONL.")
    def format(self) -> ProductImportFormat:
        return ProductImportFormat(self.format)

    @strawberry.field(description="Where the import stands.")
    def status(self) -> ProductImportStatus:
        return ProductImportStatus(self.status)

    @strawberry.field(description="Records imported (created or updated).")
    def rows_succeeded(self) -> int:
        return self.rows_created + self.rows_updated

    @strawberry.field(description="The first 100 refused records, in file order.")
    def errors(self) -> list[ProductImportRowError]:
        return [ProductImportRowError(row=e.row, field=e.field, code=_error_code(e.code), message=e.message)
                for e in self.errors]
