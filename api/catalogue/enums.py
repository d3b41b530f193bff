"""Catalogue enums (shared by types and filter inputs)."""
from enum import Enum

import strawberry


@strawberry.enum(description="What kind of thing a product is, which decides how it is delivered: PHYSICAL (shipped or picked up), EBOOK (buying grants a reading licence), VIDEO (rented or bought; on disc when the format is DVD or BLU_RAY), MEMBERSHIP (a plan such as Prime).")
class ProductKind(str, Enum):
    PHYSICAL = "PHYSICAL"
    EBOOK = "EBOOK"
    VIDEO = "VIDEO"
    MEMBERSHIP = "MEMBERSHIP"


@strawberry.enum(description="The format of a product; the formats of one work are its editions. STANDARD is general merchandise with no edition format.")
class ProductFormat(str, Enum):
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


@strawberry.enum(description="The JSON type of an attribute value: STRING, NUMBER, BOOLEAN or LIST (a JSON array).")
class AttributeType(str, Enum):
    STRING = "STRING"
    NUMBER = "NUMBER"
    BOOLEAN = "BOOLEAN"
    LIST = "LIST"
