"""Catalogue enums (shared by types and filter inputs)."""

from api.core.enums import error_codes, graphql_enum
from domain.catalogue import errors as catalogue_errors
from domain.catalogue import statuses as catalogue_statuses

ProductKind = graphql_enum(catalogue_statuses.ProductKind, description="What kind of thing a product is, which decides how it is delivered: PHYSICAL (shipped or picked up), EBOOK (buying grants a reading licence), VIDEO (a streaming video, rented or bought: a viewing licence; DVDs and Blu-rays are PHYSICAL), MEMBERSHIP (a plan such as Prime).")

ProductFormat = graphql_enum(catalogue_statuses.ProductFormat, description="The format of a product; the formats of one work are its editions. STANDARD is general merchandise with no edition format.")


AttributeType = graphql_enum(catalogue_statuses.AttributeType, description="The JSON type of an attribute value: STRING, NUMBER, BOOLEAN or LIST (a JSON array).")

CatalogueErrorCode = error_codes(catalogue_errors.CatalogueErrorCode, description="""Stable codes of catalogue `userErrors` and of import row errors:
INVALID (malformed or missing input; see `field`), NOT_FOUND (no such live category, brand, product, work or import),
SLUG_INVALID (a slug is lower-case letters and digits separated by single hyphens), SLUG_TAKEN (another category,
brand or product, archived ones included, has the slug), ISBN_INVALID (not an ISBN-10 or ISBN-13, or a wrong check
digit), ISBN_TAKEN (another product, archived ones included, has the ISBN), FORMAT_INVALID (the format is not one the
kind comes in, e.g. an EBOOK in HARDCOVER), ATTRIBUTE_INVALID (a name that is not camelCase, given twice, a value that
does not parse as its type, or the wrong type for a well-known attribute such as `pages`), IMAGE_URL_INVALID (not an
absolute https URL with a host), IMAGE_INVALID (alt text too long, a width or height out of range, an image twice),
CATEGORY_NOT_EMPTY (a category with live products or live subcategories cannot be archived), CATEGORY_CYCLE (a
category cannot move under itself or its own subcategory), BRAND_NOT_EMPTY (a brand with live products cannot be
archived), IMPORT_NOT_OPEN (the import has started and takes no more chunks, or was already started),
IMPORT_CHUNK_OUT_OF_ORDER (chunks are sent in order, 0, 1, 2...), IMPORT_TOO_LARGE (a chunk over 64,000 bytes or a file
over 50 MB), IMPORT_EMPTY (no chunk was uploaded), IMPORT_FILE_INVALID (the file as a whole cannot be read: unknown
columns, no header), FLAG_ALREADY_RESOLVED (the product review flag was resolved before).""")


ProductImportFormat = graphql_enum(catalogue_statuses.ProductImportFormat, description="The format of a products file: CSV (comma-separated, with a header line) or JSONL (one JSON object per line).")

ProductImportStatus = graphql_enum(catalogue_statuses.ProductImportStatus, description="Where a products import stands: UPLOADING (taking chunks), PENDING (started, waiting for a worker), RUNNING (rows being imported), DONE (every row was handled; see the counts and errors), FAILED (the file could not be read at all; see `failureMessage`; nothing was imported).")
