"""Administrators manage the category tree: paths follow every move, archived categories
disappear, and the tree never gets a cycle."""
import pytest

from tests.api.catalogue.helpers import (
    ARCHIVE_CATEGORY,
    CREATE_CATEGORY,
    CREATE_PRODUCT,
    FANTASY,
    SEARCH,
    UPDATE_CATEGORY,
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

CATEGORY = "query($slug: String!) { category(slug: $slug) { id slug children { slug } } }"
ROOTS = "{ categories { slug } }"


async def _create(http, admin, **fields) -> dict:
    payload = data(await admin(http, CREATE_CATEGORY, {"input": fields}), "createCategory")
    assert payload["userErrors"] == [], payload
    return payload["category"]


async def _paths(db, *ids: str) -> list[str]:
    rows = await fetch(db, "SELECT path::text FROM categories WHERE id = ANY($1::bigint[]) ORDER BY path",
                       [pk(i) for i in ids])
    return [r[0] for r in rows]


async def test_admin_creates_a_top_level_category_and_a_child(http, admin, writable_database):
    top = await _create(http, admin, name="Garden & Patio", description="Outdoor living.", position=3)
    child = await _create(http, admin, name="Garden Furniture", parentId=top["id"])
    assert (top["slug"], top["depth"], top["position"], top["parent"]) == ("garden-patio", 0, 3, None)
    assert (child["slug"], child["depth"], child["parent"]["id"]) == ("garden-furniture", 1, top["id"])
    assert child["ancestors"] == [{"slug": "garden-patio"}]
    assert await _paths(writable_database, top["id"], child["id"]) == [
        str(pk(top["id"])), f"{pk(top['id'])}.{pk(child['id'])}"]
    roots = (await http.post("/graphql", json={"query": ROOTS})).json()["data"]["categories"]
    assert "garden-patio" in [c["slug"] for c in roots]


async def test_a_taken_name_gets_a_numbered_slug_and_a_taken_slug_is_refused(http, admin, writable_database):
    first = await _create(http, admin, name="Fantasy")  # "books-fantasy" exists, "fantasy" does not
    second = await _create(http, admin, name="Fantasy")
    taken = data(await admin(http, CREATE_CATEGORY, {"input": {"name": "X", "slug": "books-fantasy"}}),
                 "createCategory")
    assert (first["slug"], second["slug"]) == ("fantasy", "fantasy-2")
    assert [(e["code"], e["field"]) for e in taken["userErrors"]] == [("SLUG_TAKEN", ["input", "slug"])]


async def test_moving_a_category_moves_its_subtree_and_its_products_in_search(http, admin, writable_database):
    db = writable_database
    old_parent = await _create(http, admin, name="Old Shelf")
    new_parent = await _create(http, admin, name="New Shelf")
    moved = await _create(http, admin, name="Moved Shelf", parentId=old_parent["id"])
    leaf = await _create(http, admin, name="Leaf Shelf", parentId=moved["id"])
    product = data(await admin(http, CREATE_PRODUCT, {"input": book_input(
        categoryId=leaf["id"], title="Zephyrine Quillbook")}), "createProduct")["product"]

    payload = data(await admin(http, UPDATE_CATEGORY, {"input": {"id": moved["id"], "parentId": new_parent["id"]}}),
                   "updateCategory")

    assert payload["userErrors"] == []
    assert payload["category"]["ancestors"] == [{"slug": "new-shelf"}]
    n, m, leaf_id = pk(new_parent["id"]), pk(moved["id"]), pk(leaf["id"])
    assert await _paths(db, moved["id"], leaf["id"]) == [f"{n}.{m}", f"{n}.{m}.{leaf_id}"]
    assert await scalar(db, "SELECT category_path::text FROM search_documents WHERE product_id = $1",
                        pk(product["id"])) == f"{n}.{m}.{leaf_id}"
    query = """query($q: String!, $c: ID!) { search(query: $q, filter: {categoryId: $c}) { totalCount } }"""
    for parent, expected in ((new_parent, 1), (old_parent, 0)):
        body = await http.post("/graphql", json={"query": query, "variables": {"q": "Zephyrine", "c": parent["id"]}})
        assert body.json()["data"]["search"]["totalCount"] == expected


async def test_moving_to_the_top_level(http, admin, writable_database):
    fantasy = gid("Category", await category_id(writable_database, FANTASY))
    payload = data(await admin(http, UPDATE_CATEGORY, {"input": {"id": fantasy, "parentId": None}}), "updateCategory")
    assert payload["category"]["depth"] == 0 and payload["category"]["parent"] is None
    assert await _paths(writable_database, fantasy) == [str(pk(fantasy))]


async def test_a_category_cannot_move_under_itself_or_its_descendants(http, admin, writable_database):
    top = await _create(http, admin, name="Top Shelf")
    child = await _create(http, admin, name="Child Shelf", parentId=top["id"])
    before = await _paths(writable_database, top["id"], child["id"])
    for parent in (top["id"], child["id"]):
        payload = data(await admin(http, UPDATE_CATEGORY, {"input": {"id": top["id"], "parentId": parent}}),
                       "updateCategory")
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("CATEGORY_CYCLE", ["input", "parentId"])]
    assert await _paths(writable_database, top["id"], child["id"]) == before


async def test_update_changes_only_the_given_fields(http, admin, writable_database):
    top = await _create(http, admin, name="Top Shelf", description="Before.", position=4)
    payload = data(await admin(http, UPDATE_CATEGORY, {"input": {"id": top["id"], "name": "Renamed Shelf",
                                                                 "slug": "renamed-shelf"}}), "updateCategory")
    category = payload["category"]
    assert (category["name"], category["slug"], category["description"], category["position"]) == (
        "Renamed Shelf", "renamed-shelf", "Before.", 4)


@pytest.mark.own_copy
async def test_an_empty_category_is_archived_and_disappears(http, admin, writable_database):
    top = await _create(http, admin, name="Top Shelf")
    child = await _create(http, admin, name="Child Shelf", parentId=top["id"])
    payload = data(await admin(http, ARCHIVE_CATEGORY, {"input": {"id": child["id"]}}), "archiveCategory")
    assert payload["userErrors"] == [] and payload["category"]["archivedAt"] is not None
    found = (await http.post("/graphql", json={"query": CATEGORY, "variables": {"slug": "top-shelf"}})).json()
    assert found["data"]["category"]["children"] == []
    gone = (await http.post("/graphql", json={"query": CATEGORY, "variables": {"slug": "child-shelf"}})).json()
    assert gone["data"]["category"] is None
    node = (await http.post("/graphql", json={"query": "query($id: ID!) { node(id: $id) { id } }",
                                              "variables": {"id": child["id"]}})).json()
    assert node["data"]["node"] is None


async def test_archived_category_takes_no_products_children_or_changes(http, admin, writable_database):
    top = await _create(http, admin, name="Top Shelf")
    await admin(http, ARCHIVE_CATEGORY, {"input": {"id": top["id"]}})
    before = await table_counts(writable_database)
    product = data(await admin(http, CREATE_PRODUCT, {"input": book_input(categoryId=top["id"])}), "createProduct")
    child = data(await admin(http, CREATE_CATEGORY, {"input": {"name": "C", "parentId": top["id"]}}), "createCategory")
    update = data(await admin(http, UPDATE_CATEGORY, {"input": {"id": top["id"], "name": "N"}}), "updateCategory")
    again = data(await admin(http, ARCHIVE_CATEGORY, {"input": {"id": top["id"]}}), "archiveCategory")
    assert [(e["code"], e["field"]) for e in product["userErrors"]] == [("NOT_FOUND", ["input", "categoryId"])]
    assert [(e["code"], e["field"]) for e in child["userErrors"]] == [("NOT_FOUND", ["input", "parentId"])]
    assert codes(update) == codes(again) == ["NOT_FOUND"]
    assert await table_counts(writable_database) == before


@pytest.mark.own_copy
async def test_a_category_with_live_products_or_children_is_not_archived(http, admin, writable_database):
    fantasy = gid("Category", await category_id(writable_database, FANTASY))
    books = gid("Category", await category_id(writable_database, "books"))
    for target in (fantasy, books):
        payload = data(await admin(http, ARCHIVE_CATEGORY, {"input": {"id": target}}), "archiveCategory")
        assert codes(payload) == ["CATEGORY_NOT_EMPTY"]
    assert await scalar(writable_database, "SELECT count(*) FROM categories WHERE archived_at IS NOT NULL") == 0
    body = await http.post("/graphql", json={"query": SEARCH, "variables": {"q": "Harry Potter"}})
    assert body.json()["data"]["search"]["totalCount"] > 0


async def test_invalid_category_input_is_a_typed_error(http, admin, writable_database):
    before = await table_counts(writable_database)
    cases = [({"name": ""}, "INVALID", ["input", "name"]), ({"name": "x" * 121}, "INVALID", ["input", "name"]),
             ({"name": "A", "slug": "-bad-"}, "SLUG_INVALID", ["input", "slug"]),
             ({"name": "A", "position": -1}, "INVALID", ["input", "position"]),
             ({"name": "A", "description": "x" * 2001}, "INVALID", ["input", "description"]),
             ({"name": "A", "parentId": gid("Category", 999999)}, "NOT_FOUND", ["input", "parentId"])]
    for fields, code, field in cases:
        payload = data(await admin(http, CREATE_CATEGORY, {"input": fields}), "createCategory")
        assert payload["category"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)], fields
    assert await table_counts(writable_database) == before
