"""Only administrators manage the catalogue: every other role gets a top-level error and
nothing is written, whatever the input."""
import pytest

from tests.api.catalogue.helpers import (
    ARCHIVE_BRAND,
    ARCHIVE_CATEGORY,
    ARCHIVE_PRODUCT,
    CREATE_BRAND,
    CREATE_CATEGORY,
    CREATE_PRODUCT,
    UPDATE_BRAND,
    UPDATE_CATEGORY,
    UPDATE_PRODUCT,
    book_input,
    gid,
    table_counts,
)
from tests.api.identity.helpers import call
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

IMPORT = "{ productImport { id } userErrors { code } }"
OPERATIONS = [
    ("createCategory", CREATE_CATEGORY, {"name": "Shelf"}),
    ("updateCategory", UPDATE_CATEGORY, {"id": gid("Category", 14), "name": "Renamed"}),
    ("archiveCategory", ARCHIVE_CATEGORY, {"id": gid("Category", 77)}),
    ("createBrand", CREATE_BRAND, {"name": "Brand"}),
    ("updateBrand", UPDATE_BRAND, {"id": gid("Brand", 1), "name": "Renamed"}),
    ("archiveBrand", ARCHIVE_BRAND, {"id": gid("Brand", 1)}),
    ("createProduct", CREATE_PRODUCT, book_input(categoryId=gid("Category", 14), isbn=None)),
    ("updateProduct", UPDATE_PRODUCT, {"id": gid("Product", 1), "title": "Renamed"}),
    ("archiveProduct", ARCHIVE_PRODUCT, {"id": gid("Product", 1)}),
    ("createProductImport", "mutation($input: ProductsImportCreateInput!) { createProductImport(input: $input)"
     f" {IMPORT} }}", {"format": "CSV"}),
    ("appendProductImportChunk", "mutation($input: ProductsImportAppendInput!) { appendProductImportChunk(input: $input)"
     f" {IMPORT} }}", {"importId": gid("ProductImport", 1), "index": 0, "chunk": "title\n"}),
    ("startProductImport", "mutation($input: ProductsImportStartInput!) { startProductImport(input: $input)"
     f" {IMPORT} }}", {"importId": gid("ProductImport", 1)}),
]


@pytest.mark.parametrize("role", ["anonymous", "customer", "seller staff", "brand owner"])
async def test_only_administrators_manage_the_catalogue(http, writable_database, role):
    token = None
    if role != "anonymous":
        roles = {"customer": {}, "seller staff": {"seller_id": 1}, "brand owner": {"brand_id": 1}}[role]
        token = (await account(http, writable_database, role.replace(" ", "-"), **roles)).token
    before = await table_counts(writable_database)
    for name, document, fields in OPERATIONS:
        body = await call(http, document, {"input": fields}, token=token)
        expected = "UNAUTHENTICATED" if role == "anonymous" else "FORBIDDEN"
        assert [e["extensions"]["code"] for e in body["errors"]] == [expected], (name, body)
        assert body["data"] is None  # the payload is non-null, so the error nulls the whole result
    assert await table_counts(writable_database) == before


@pytest.mark.parametrize("role", ["anonymous", "customer", "seller staff"])
async def test_only_administrators_see_imports(http, writable_database, admin, role):
    created = await admin(http, OPERATIONS[9][1], {"input": {"format": "CSV"}})
    import_id = created["data"]["createProductImport"]["productImport"]["id"]
    token = None
    if role != "anonymous":
        token = (await account(http, writable_database, "other", **({"seller_id": 1} if role == "seller staff"
                                                                    else {}))).token
    body = await call(http, "query($id: ID!) { productsImport(id: $id) { id } node(id: $id) { id } }",
                      {"id": import_id}, token=token)
    assert [e["extensions"]["code"] for e in body["errors"]] == [
        "UNAUTHENTICATED" if role == "anonymous" else "FORBIDDEN"]
    assert body["data"] == {"productsImport": None, "node": None}
    mine = await admin(http, "query($id: ID!) { productsImport(id: $id) { id } node(id: $id) { id } }",
                       {"id": import_id})
    assert mine["data"] == {"productsImport": {"id": import_id}, "node": {"id": import_id}}
