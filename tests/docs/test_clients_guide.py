"""The cache configuration of docs/clients.md, run as written in Apollo Client against the
service on a real port: the README's pages and a page selecting other parts of the same
objects are stored so that each reads back whole from the cache alone, entities normalised by
their `id` and values kept in them. Without the configuration, the second page's write loses
what the first stored, which is what the configuration is for."""
from __future__ import annotations

import json
import re

import graphql

from tests.docs.guides import DOCS, README, ROOT, examples
from tests.fixtures.live import live_server, run_node

GUIDE = DOCS / "clients.md"
_JS_FENCE = re.compile(r"^```js\n(.*?)^```", re.S | re.M)
# The product page again, selecting other parts of its price range and featured offer.
PRICES = """query ProductPrices($isbn: String = "0-439-55493-4") {
  product(isbn: $isbn) { id priceRange { offerCount } featuredOffer { id landedPrice { currencyCode } } }
}"""


def _cache_config() -> str:
    [module] = [block for block in _JS_FENCE.findall(GUIDE.read_text()) if block.startswith("// cache-config.js")]
    return module


def _introspection() -> dict:
    return graphql.introspection_from_schema(graphql.build_schema((ROOT / "schema.graphql").read_text()))


async def _check(url: str, tmp_path, *flags: str) -> dict:
    (tmp_path / "cache-config.js").write_text(_cache_config())
    (tmp_path / "schema.json").write_text(json.dumps(_introspection()))
    documents = [{"document": document, "variables": {}} for document in [*examples(README), PRICES]]
    (tmp_path / "documents.json").write_text(json.dumps(documents))
    out = await run_node("cache_config_check.mjs", url, str(tmp_path), str(tmp_path / "documents.json"), *flags)
    return json.loads(out)


async def test_with_the_guides_configuration_every_page_reads_back_whole_from_the_cache(database, tmp_path):
    async with live_server(database) as url:
        got = await _check(url, tmp_path)
    assert got["warnings"] == []
    assert got["fromCache"] == got["fromNetwork"] and all(got["fromNetwork"])
    product = got["fromNetwork"][1]["product"]
    keys = set(got["cacheKeys"])
    assert {f"Product:{product['id']}", f"Offer:{product['featuredOffer']['id']}",
            f"Category:{product['category']['id']}"} <= keys
    # Values stay in the objects holding them: no Money, PriceRange or connection of their own.
    assert [key for key in keys if not key.startswith(("Product:", "Offer:", "Seller:", "Category:", "ROOT_"))] == []


async def test_without_it_a_page_selecting_other_fields_loses_what_the_first_stored(database, tmp_path):
    async with live_server(database) as url:
        got = await _check(url, tmp_path, "--without-config")
    assert all(got["fromNetwork"])
    assert got["fromCache"][1] is None


def test_the_objects_keyed_without_an_id_have_what_identifies_them():
    types = {t["name"]: t for t in _introspection()["__schema"]["types"]}
    assert 'KEYED = { Viewer: [], ReadingState: ["licenceId"] }' in _cache_config()
    assert all(f["name"] != "id" for name in ("Viewer", "ReadingState") for f in types[name]["fields"])
    assert any(f["name"] == "licenceId" for f in types["ReadingState"]["fields"])
    # One Viewer per client: the caller, at the root only.
    holders = [(t["name"], f["name"]) for t in types.values() if t["kind"] == "OBJECT" for f in t["fields"] or []
               if _named(f["type"]) == "Viewer"]
    assert holders == [("Query", "viewer")]


def _named(type_ref: dict) -> str:
    while type_ref.get("ofType"):
        type_ref = type_ref["ofType"]
    return type_ref["name"]
