"""A brand's registered owner edits its brand's description and logo, and nothing else; anyone
else who is not an administrator gets FORBIDDEN and nothing changes."""
from tests.conftest import make_client
from tests.fixtures.brand_campaigns import owned_brand
from tests.fixtures.db import fetch
from tests.fixtures.identity import account

UPDATE = """mutation($input: UpdateBrandInput!) { updateBrand(input: $input) {
  brand { id name description logoUrl } userErrors { code field } } }"""
LOGO = "https://images.example.com/kettle-logo.png"


async def _brand(db, brand_id):
    return tuple((await fetch(db, "SELECT name, slug, description, logo_url FROM brands WHERE id = $1", brand_id))[0])


async def test_the_owner_sets_the_description_and_logo_of_its_brand(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        name = (await _brand(db, brand.id))[0]
        body = await brand.owner(http, UPDATE, {"input": {"id": brand.gid, "description": "Kettles since 1901.",
                                                          "logoUrl": LOGO}})
        public = await http.post("/graphql", json={"query": "query($id: ID!) { node(id: $id) { ... on Brand {"
                                                            " description logoUrl } } }", "variables": {"id": brand.gid}})
        removed = await brand.owner(http, UPDATE, {"input": {"id": brand.gid, "logoUrl": None}})
    assert body["data"]["updateBrand"] == {"brand": {"id": brand.gid, "name": name, "description": "Kettles since 1901.",
                                                     "logoUrl": LOGO}, "userErrors": []}
    assert public.json()["data"]["node"] == {"description": "Kettles since 1901.", "logoUrl": LOGO}
    assert removed["data"]["updateBrand"]["brand"]["logoUrl"] is None


async def test_the_owner_cannot_rename_its_brand_nor_edit_another_and_a_logo_is_an_https_image(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        other = await owned_brand(http, db, skip=1)
        before = [await _brand(db, b.id) for b in (brand, other)]
        rename = await brand.owner(http, UPDATE, {"input": {"id": brand.gid, "name": "Renamed"}})
        elsewhere = await brand.owner(http, UPDATE, {"input": {"id": other.gid, "description": "Mine now"}})
        staff = await account(http, db, "staff", seller_id=2)
        by_staff = await staff(http, UPDATE, {"input": {"id": brand.gid, "description": "Ours"}})
        plain_http = await brand.owner(http, UPDATE, {"input": {"id": brand.gid, "logoUrl": "http://x.example/a.png"}})
        admin = await account(http, db, "admin", admin=True)
        by_admin = await admin(http, UPDATE, {"input": {"id": brand.gid, "logoUrl": LOGO}})
    for body in (rename, elsewhere, by_staff):
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    assert plain_http["data"]["updateBrand"]["userErrors"] == [{"code": "IMAGE_URL_INVALID", "field": ["input", "logoUrl"]}]
    assert [await _brand(db, b.id) for b in (brand, other)][1] == before[1]
    assert (await _brand(db, brand.id))[:3] == before[0][:3]
    assert by_admin["data"]["updateBrand"]["brand"]["logoUrl"] == LOGO
