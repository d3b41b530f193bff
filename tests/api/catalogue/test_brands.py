"""Administrators manage brands; a brand's name is searchable on its products."""
import pytest

from tests.api.catalogue.helpers import (
    ARCHIVE_BRAND,
    CREATE_BRAND,
    CREATE_PRODUCT,
    FANTASY,
    SEARCH,
    UPDATE_BRAND,
    book_input,
    category_id,
    codes,
    data,
    gid,
    scalar,
    table_counts,
)

pytestmark = pytest.mark.one_copy_per_file

BRAND = "query($slug: String!) { brand(slug: $slug) { id name } }"


async def _create(http, admin, **fields) -> dict:
    payload = data(await admin(http, CREATE_BRAND, {"input": fields}), "createBrand")
    assert payload["userErrors"] == [], payload
    return payload["brand"]


async def _search_total(http, query: str) -> int:
    body = await http.post("/graphql", json={"query": SEARCH, "variables": {"q": query}})
    return body.json()["data"]["search"]["totalCount"]


@pytest.mark.own_copy
async def test_admin_creates_and_updates_a_brand(http, admin, writable_database):
    brand = await _create(http, admin, name="Zanzibarra Press", description="Small press.")
    assert (brand["name"], brand["slug"], brand["description"], brand["archivedAt"]) == (
        "Zanzibarra Press", "zanzibarra-press", "Small press.", None)
    payload = data(await admin(http, UPDATE_BRAND, {"input": {"id": brand["id"], "description": None}}),
                   "updateBrand")
    assert payload["brand"]["description"] == "" and payload["brand"]["name"] == "Zanzibarra Press"
    found = (await http.post("/graphql", json={"query": BRAND, "variables": {"slug": "zanzibarra-press"}})).json()
    assert found["data"]["brand"]["id"] == brand["id"]


async def test_renaming_a_brand_makes_its_products_findable_by_the_new_name(http, admin, writable_database):
    brand = await _create(http, admin, name="Zanzibarra Press")
    fantasy = gid("Category", await category_id(writable_database, FANTASY))
    await admin(http, CREATE_PRODUCT, {"input": book_input(categoryId=fantasy, brandId=brand["id"])})
    assert await _search_total(http, "Zanzibarra") == 1
    await admin(http, UPDATE_BRAND, {"input": {"id": brand["id"], "name": "Quokkalight Books"}})
    assert await _search_total(http, "Quokkalight") == 1
    assert await _search_total(http, "Zanzibarra") == 0


@pytest.mark.own_copy
async def test_a_brand_with_live_products_is_not_archived(http, admin, writable_database):
    brand_id = await scalar(writable_database, "SELECT brand_id FROM products WHERE brand_id IS NOT NULL LIMIT 1")
    payload = data(await admin(http, ARCHIVE_BRAND, {"input": {"id": gid("Brand", brand_id)}}), "archiveBrand")
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("BRAND_NOT_EMPTY", ["input", "id"])]
    assert await scalar(writable_database, "SELECT count(*) FROM brands WHERE archived_at IS NOT NULL") == 0


@pytest.mark.own_copy
async def test_an_archived_brand_disappears_and_cannot_be_used(http, admin, writable_database):
    brand = await _create(http, admin, name="Zanzibarra Press")
    payload = data(await admin(http, ARCHIVE_BRAND, {"input": {"id": brand["id"]}}), "archiveBrand")
    assert payload["userErrors"] == [] and payload["brand"]["archivedAt"] is not None
    found = (await http.post("/graphql", json={"query": BRAND, "variables": {"slug": "zanzibarra-press"}})).json()
    assert found["data"]["brand"] is None
    before = await table_counts(writable_database)
    fantasy = gid("Category", await category_id(writable_database, FANTASY))
    product = data(await admin(http, CREATE_PRODUCT, {"input": book_input(categoryId=fantasy, brandId=brand["id"])}),
                   "createProduct")
    update = data(await admin(http, UPDATE_BRAND, {"input": {"id": brand["id"], "name": "N"}}), "updateBrand")
    again = data(await admin(http, ARCHIVE_BRAND, {"input": {"id": brand["id"]}}), "archiveBrand")
    taken = data(await admin(http, CREATE_BRAND, {"input": {"name": "Other", "slug": "zanzibarra-press"}}),
                 "createBrand")
    assert [(e["code"], e["field"]) for e in product["userErrors"]] == [("NOT_FOUND", ["input", "brandId"])]
    assert codes(update) == codes(again) == ["NOT_FOUND"]
    assert codes(taken) == ["SLUG_TAKEN"]
    assert await table_counts(writable_database) == before


async def test_invalid_brand_input_is_a_typed_error(http, admin, writable_database):
    before = await table_counts(writable_database)
    cases = [({"name": " "}, "INVALID", ["input", "name"]),
             ({"name": "A", "slug": "Upper"}, "SLUG_INVALID", ["input", "slug"]),
             ({"name": "A", "description": "x" * 5001}, "INVALID", ["input", "description"])]
    for fields, code, field in cases:
        payload = data(await admin(http, CREATE_BRAND, {"input": fields}), "createBrand")
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)], fields
    assert await table_counts(writable_database) == before
