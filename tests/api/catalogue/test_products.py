"""Administrators create, change and archive products; search, listings and lookups follow
in the same transaction."""
import asyncio

import pytest

from tests.api.catalogue.helpers import (
    ARCHIVE_PRODUCT,
    CREATE_BRAND,
    CREATE_PRODUCT,
    FANTASY,
    IN_CATEGORY,
    PRODUCT_BY_ID,
    PRODUCTS_IN,
    SEARCH,
    UPDATE_PRODUCT,
    book_input,
    category_id,
    codes,
    data,
    fetch,
    gid,
    pk,
    scalar,
    table_counts,
)

pytestmark = pytest.mark.one_copy_per_file


async def _create(http, admin, db, **overrides) -> dict:
    fantasy = gid("Category", await category_id(db, FANTASY))
    payload = data(await admin(http, CREATE_PRODUCT, {"input": book_input(categoryId=fantasy, **overrides)}),
                   "createProduct")
    assert payload["userErrors"] == [], payload
    return payload["product"]


async def _search_titles(http, query: str) -> list[str]:
    body = await http.post("/graphql", json={"query": SEARCH, "variables": {"q": query}})
    return [n["title"] for n in body.json()["data"]["search"]["nodes"]]


async def _in_fantasy(http) -> set[str]:
    """Ids on the first page of the root `products` list, filtered to the fantasy shelf."""
    body = await http.post("/graphql", json={"query": IN_CATEGORY, "variables": {"slug": FANTASY}})
    fantasy = body.json()["data"]["category"]["id"]
    body = await http.post("/graphql", json={"query": PRODUCTS_IN, "variables": {"c": fantasy}})
    return {n["id"] for n in body.json()["data"]["products"]["nodes"]}


@pytest.mark.own_copy
async def test_admin_creates_a_product_with_every_field(http, admin, writable_database):
    product = await _create(http, admin, writable_database, workTitle="The Lighthouse Cartographer")
    assert product["title"] == "The Lighthouse Cartographer"
    assert product["slug"] == "the-lighthouse-cartographer-hardcover"
    assert product["kind"] == "PHYSICAL" and product["format"] == "HARDCOVER"
    assert product["isbn"] == "9780306406157"
    assert product["authors"] == ["Mara Quillfeather"]
    assert product["releaseDate"] == "2024-05-01"
    assert product["category"]["slug"] == FANTASY
    assert product["brand"] is None
    assert product["work"]["title"] == "The Lighthouse Cartographer"
    assert sorted(product["attributes"], key=lambda a: a["name"]) == [
        {"name": "awards", "value": '["Hugo", "Nebula"]', "type": "LIST"},
        {"name": "language", "value": "eng", "type": "STRING"},
        {"name": "pages", "value": "320", "type": "NUMBER"},
        {"name": "signed", "value": "true", "type": "BOOLEAN"}]
    assert product["images"] == [{"url": "https://images.example.com/lighthouse.jpg", "altText": "Cover",
                                  "width": 600, "height": 900}]
    assert product["archivedAt"] is None


@pytest.mark.own_copy
async def test_a_new_product_is_at_once_in_search_listings_and_lookups(http, admin, writable_database):
    product = await _create(http, admin, writable_database, title="Quillfeather Zephyrine Almanac")
    assert await _search_titles(http, "Zephyrine Almanac") == ["Quillfeather Zephyrine Almanac"]
    assert product["id"] in await _in_fantasy(http)
    lookup = (await http.post("/graphql", json={"query": PRODUCT_BY_ID, "variables": {"id": product["id"]}})).json()
    assert lookup["data"] == {"product": {"id": product["id"], "title": "Quillfeather Zephyrine Almanac"},
                              "node": {"id": product["id"]}}


@pytest.mark.own_copy
async def test_a_new_word_is_not_corrected_into_an_older_one(http, admin, writable_database):
    # "Potterr" is close to the known "potter": before the refresh learnt it, it was "corrected".
    await _create(http, admin, writable_database, title="Potterr Unbound")
    assert await _search_titles(http, "potterr") == ["Potterr Unbound"]


@pytest.mark.own_copy
async def test_update_changes_only_the_given_fields_and_search_follows(http, admin, writable_database):
    product = await _create(http, admin, writable_database, title="Quillfeather Zephyrine Almanac")
    brand = data(await admin(http, CREATE_BRAND, {"input": {"name": "Zanzibarra Press"}}), "createBrand")["brand"]
    payload = data(await admin(http, UPDATE_PRODUCT, {"input": {
        "id": product["id"], "title": "Quillfeather Nocturne Almanac", "brandId": brand["id"],
        "format": "PAPERBACK", "releaseDate": None}}), "updateProduct")
    assert payload["userErrors"] == []
    updated = payload["product"]
    assert updated["title"] == "Quillfeather Nocturne Almanac"
    assert updated["format"] == "PAPERBACK" and updated["brand"]["slug"] == "zanzibarra-press"
    assert updated["releaseDate"] is None
    assert updated["slug"] == product["slug"] and updated["isbn"] == product["isbn"]
    assert updated["authors"] == product["authors"] and updated["attributes"] == product["attributes"]
    assert await _search_titles(http, "Nocturne Almanac") == ["Quillfeather Nocturne Almanac"]
    assert await _search_titles(http, "Zephyrine Almanac") == []
    assert await _search_titles(http, "Zanzibarra") == ["Quillfeather Nocturne Almanac"]


@pytest.mark.own_copy
async def test_archived_product_disappears_from_search_listings_and_lookups(http, admin, writable_database):
    product = await _create(http, admin, writable_database, title="Quillfeather Zephyrine Almanac")
    payload = data(await admin(http, ARCHIVE_PRODUCT, {"input": {"id": product["id"]}}), "archiveProduct")
    assert payload["userErrors"] == [] and payload["product"]["archivedAt"] is not None
    assert await _search_titles(http, "Zephyrine Almanac") == []
    assert product["id"] not in await _in_fantasy(http)
    lookup = (await http.post("/graphql", json={"query": PRODUCT_BY_ID, "variables": {"id": product["id"]}})).json()
    assert lookup["data"] == {"product": None, "node": None}
    assert await scalar(writable_database, "SELECT count(*) FROM search_documents WHERE product_id = $1",
                        pk(product["id"])) == 0


@pytest.mark.own_copy
async def test_archived_product_cannot_be_changed_or_archived_again(http, admin, writable_database):
    product = await _create(http, admin, writable_database)
    await admin(http, ARCHIVE_PRODUCT, {"input": {"id": product["id"]}})
    again = data(await admin(http, ARCHIVE_PRODUCT, {"input": {"id": product["id"]}}), "archiveProduct")
    update = data(await admin(http, UPDATE_PRODUCT, {"input": {"id": product["id"], "title": "X"}}), "updateProduct")
    assert codes(again) == ["NOT_FOUND"] and codes(update) == ["NOT_FOUND"]


@pytest.mark.own_copy
async def test_archived_product_keeps_its_isbn_and_slug(http, admin, writable_database):
    product = await _create(http, admin, writable_database)
    await admin(http, ARCHIVE_PRODUCT, {"input": {"id": product["id"]}})
    fantasy = gid("Category", await category_id(writable_database, FANTASY))
    taken = data(await admin(http, CREATE_PRODUCT, {"input": book_input(categoryId=fantasy)}), "createProduct")
    assert codes(taken) == ["ISBN_TAKEN"] and "archived" in taken["userErrors"][0]["message"]
    slug = data(await admin(http, CREATE_PRODUCT, {"input": book_input(
        categoryId=fantasy, isbn=None, slug=product["slug"])}), "createProduct")
    assert codes(slug) == ["SLUG_TAKEN"]


@pytest.mark.own_copy
async def test_generated_slugs_are_unique(http, admin, writable_database):
    first = await _create(http, admin, writable_database, isbn=None)
    second = await _create(http, admin, writable_database, isbn=None)
    third = await _create(http, admin, writable_database, isbn=None, format="KINDLE", kind="EBOOK")
    assert [first["slug"], second["slug"], third["slug"]] == [
        "the-lighthouse-cartographer-hardcover", "the-lighthouse-cartographer-hardcover-2",
        "the-lighthouse-cartographer-kindle-edition"]


async def test_format_defaults_to_the_kinds_own(http, admin, writable_database):
    product = await _create(http, admin, writable_database, isbn=None, kind="EBOOK", format=None)
    assert product["format"] == "KINDLE"


@pytest.mark.own_copy
async def test_a_product_joins_an_existing_work_and_can_leave_it(http, admin, writable_database):
    hardcover = await _create(http, admin, writable_database, workTitle="The Lighthouse Cartographer")
    kindle = await _create(http, admin, writable_database, isbn=None, kind="EBOOK", format="KINDLE",
                           workId=hardcover["work"]["id"])
    assert kindle["work"] == hardcover["work"]
    body = await http.post("/graphql", json={"query": "query($id: ID!) { product(id: $id) { formats { format } } }",
                                             "variables": {"id": kindle["id"]}})
    assert [f["format"] for f in body.json()["data"]["product"]["formats"]] == ["HARDCOVER", "KINDLE"]
    left = data(await admin(http, UPDATE_PRODUCT, {"input": {"id": kindle["id"], "workId": None}}), "updateProduct")
    assert left["product"]["work"] is None


@pytest.mark.own_copy
async def test_isbn10_is_stored_as_isbn13(http, admin, writable_database):
    product = await _create(http, admin, writable_database, isbn="0-306-40615-2")
    assert product["isbn"] == "9780306406157"


@pytest.mark.own_copy
@pytest.mark.parametrize("overrides, code, field", [
    ({"isbn": "978-0-306-40615-8"}, "ISBN_INVALID", ["input", "isbn"]),
    ({"isbn": "12345"}, "ISBN_INVALID", ["input", "isbn"]),
    ({"title": "   "}, "INVALID", ["input", "title"]),
    ({"title": "x" * 501}, "INVALID", ["input", "title"]),
    ({"slug": "Not A Slug"}, "SLUG_INVALID", ["input", "slug"]),
    ({"slug": "the-hunger-games-hardcover"}, "SLUG_TAKEN", ["input", "slug"]),
    ({"kind": "EBOOK", "format": "HARDCOVER"}, "FORMAT_INVALID", ["input", "format"]),
    ({"kind": "VIDEO", "format": "PAPERBACK"}, "FORMAT_INVALID", ["input", "format"]),
    ({"attributes": [{"name": "pages", "type": "NUMBER", "value": "many"}]}, "ATTRIBUTE_INVALID",
     ["input", "attributes", "0", "value"]),
    ({"attributes": [{"name": "pages", "type": "STRING", "value": "320"}]}, "ATTRIBUTE_INVALID",
     ["input", "attributes", "0", "type"]),
    ({"attributes": [{"name": "pages", "type": "NUMBER", "value": "0"}]}, "ATTRIBUTE_INVALID",
     ["input", "attributes", "0", "value"]),
    ({"attributes": [{"name": "Page Count", "type": "NUMBER", "value": "1"}]}, "ATTRIBUTE_INVALID",
     ["input", "attributes", "0", "name"]),
    ({"attributes": [{"name": "colour", "type": "STRING", "value": "red"},
                     {"name": "colour", "type": "STRING", "value": "blue"}]}, "ATTRIBUTE_INVALID",
     ["input", "attributes", "1", "name"]),
    ({"attributes": [{"name": "waterproof", "type": "BOOLEAN", "value": "yes"}]}, "ATTRIBUTE_INVALID",
     ["input", "attributes", "0", "value"]),
    ({"attributes": [{"name": "ports", "type": "LIST", "value": '{"a": 1}'}]}, "ATTRIBUTE_INVALID",
     ["input", "attributes", "0", "value"]),
    ({"images": [{"url": "http://images.example.com/a.jpg"}]}, "IMAGE_URL_INVALID", ["input", "images", "0", "url"]),
    ({"images": [{"url": "javascript:alert(1)"}]}, "IMAGE_URL_INVALID", ["input", "images", "0", "url"]),
    ({"images": [{"url": "https://user:pw@images.example.com/a.jpg"}]}, "IMAGE_URL_INVALID",
     ["input", "images", "0", "url"]),
    ({"images": [{"url": "https://images.example.com/a.jpg", "width": 0}]}, "IMAGE_INVALID",
     ["input", "images", "0", "width"]),
    ({"images": [{"url": "https://images.example.com/a.jpg", "altText": "x" * 301}]}, "IMAGE_INVALID",
     ["input", "images", "0", "altText"]),
    ({"authors": ["Ann", "Ann"]}, "INVALID", ["input", "authors"]),
    ({"workTitle": "A", "workId": "V29yazox"}, "INVALID", ["input", "workTitle"]),
    ({"workId": "V29yazo5OTk5OTk5"}, "NOT_FOUND", ["input", "workId"]),
    ({"brandId": "QnJhbmQ6OTk5OTk5"}, "NOT_FOUND", ["input", "brandId"]),
    ({"categoryId": "Q2F0ZWdvcnk6OTk5OTk5"}, "NOT_FOUND", ["input", "categoryId"]),
])
async def test_invalid_product_input_is_a_typed_error_and_writes_nothing(http, admin, writable_database,
                                                                          overrides, code, field):
    before = await table_counts(writable_database)
    fantasy = gid("Category", await category_id(writable_database, FANTASY))
    # A new work is part of the input, so a failure must not leave it behind.
    given = {"categoryId": fantasy, **({} if "workId" in overrides else {"workTitle": "Should not exist"}),
             **overrides}
    payload = data(await admin(http, CREATE_PRODUCT, {"input": book_input(**given)}), "createProduct")
    assert payload["product"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert await table_counts(writable_database) == before


async def test_isbn_of_another_product_is_taken(http, admin, writable_database):
    seeded = await scalar(writable_database, "SELECT isbn FROM products WHERE isbn IS NOT NULL ORDER BY id LIMIT 1")
    fantasy = gid("Category", await category_id(writable_database, FANTASY))
    payload = data(await admin(http, CREATE_PRODUCT, {"input": book_input(categoryId=fantasy, isbn=seeded)}),
                   "createProduct")
    assert codes(payload) == ["ISBN_TAKEN"]


@pytest.mark.own_copy
async def test_update_checks_the_format_against_a_new_kind(http, admin, writable_database):
    product = await _create(http, admin, writable_database)
    payload = data(await admin(http, UPDATE_PRODUCT, {"input": {"id": product["id"], "kind": "VIDEO"}}),
                   "updateProduct")
    assert codes(payload) == ["FORMAT_INVALID"]
    rows = await fetch(writable_database, "SELECT kind::text, format::text FROM products WHERE id = $1",
                       pk(product["id"]))
    assert tuple(rows[0]) == ("PHYSICAL", "HARDCOVER")


@pytest.mark.own_copy
async def test_update_cannot_remove_a_title_or_category(http, admin, writable_database):
    product = await _create(http, admin, writable_database)
    title = data(await admin(http, UPDATE_PRODUCT, {"input": {"id": product["id"], "title": None}}), "updateProduct")
    category = data(await admin(http, UPDATE_PRODUCT, {"input": {"id": product["id"], "categoryId": None}}),
                    "updateProduct")
    assert [(e["code"], e["field"]) for e in title["userErrors"]] == [("INVALID", ["input", "title"])]
    assert [(e["code"], e["field"]) for e in category["userErrors"]] == [("INVALID", ["input", "categoryId"])]


@pytest.mark.own_copy
async def test_moving_a_product_to_another_category_moves_it_in_listings(http, admin, writable_database):
    product = await _create(http, admin, writable_database)
    romance = gid("Category", await category_id(writable_database, "books-romance"))
    await admin(http, UPDATE_PRODUCT, {"input": {"id": product["id"], "categoryId": romance}})
    assert product["id"] not in await _in_fantasy(http)
    body = await http.post("/graphql", json={"query": IN_CATEGORY, "variables": {"slug": "books-romance"}})
    assert product["id"] in {n["id"] for n in body.json()["data"]["category"]["products"]["nodes"]}


@pytest.mark.own_copy
async def test_concurrent_creates_of_one_slug_and_isbn_give_one_product_and_a_typed_error(http, admin,
                                                                                        writable_database):
    fantasy = gid("Category", await category_id(writable_database, FANTASY))
    racing = book_input(categoryId=fantasy, slug="racing-slug")
    first, second = await asyncio.gather(admin(http, CREATE_PRODUCT, {"input": racing}),
                                         admin(http, CREATE_PRODUCT, {"input": racing}))
    results = sorted(codes(data(body, "createProduct")) for body in (first, second))
    assert results[0] == [] and results[1] in (["SLUG_TAKEN"], ["ISBN_TAKEN"])
    assert await scalar(writable_database, "SELECT count(*) FROM products WHERE slug = 'racing-slug'") == 1


async def test_archiving_a_product_archives_its_offers_so_none_points_at_it(http, admin, writable_database):
    product_id = await scalar(writable_database, "SELECT product_id FROM offers WHERE archived_at IS NULL"
                                                 " GROUP BY product_id HAVING count(*) >= 2 ORDER BY product_id LIMIT 1")
    offer_id = await scalar(writable_database, "SELECT min(id) FROM offers WHERE product_id = $1", product_id)
    from api.core import ids

    payload = data(await admin(http, ARCHIVE_PRODUCT, {"input": {"id": ids.encode("Product", product_id)}}),
                   "archiveProduct")

    assert payload["userErrors"] == []
    assert await scalar(writable_database, "SELECT count(*) FROM offers WHERE product_id = $1 AND archived_at IS NULL",
                        product_id) == 0
    body = (await http.post("/graphql", json={"query": "query($id: ID!) { node(id: $id) { id } }",
                                              "variables": {"id": ids.encode("Offer", offer_id)}})).json()
    assert "errors" not in body
