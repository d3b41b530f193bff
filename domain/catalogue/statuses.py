"""Kinds and formats of products, and statuses of imports; the database enums, the use cases and
the GraphQL enums all take their values from here."""
from enum import StrEnum


class ProductKind(StrEnum):
    PHYSICAL = "PHYSICAL"
    EBOOK = "EBOOK"
    VIDEO = "VIDEO"
    MEMBERSHIP = "MEMBERSHIP"


class ProductFormat(StrEnum):
    HARDCOVER = "HARDCOVER"
    PAPERBACK = "PAPERBACK"
    KINDLE = "KINDLE"
    AUDIOBOOK = "AUDIOBOOK"
    DVD = "DVD"
    BLU_RAY = "BLU_RAY"
    CD = "CD"
    VINYL = "VINYL"
    STREAMING = "STREAMING"
    STANDARD = "STANDARD"


class AttributeType(StrEnum):
    STRING = "STRING"
    NUMBER = "NUMBER"
    BOOLEAN = "BOOLEAN"
    LIST = "LIST"


class ProductImportFormat(StrEnum):
    CSV = "CSV"
    JSONL = "JSONL"


class ProductImportStatus(StrEnum):
    UPLOADING = "UPLOADING"
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"


class ProductReviewFlagStatus(StrEnum):
    OPEN = "OPEN"
    RESOLVED = "RESOLVED"
