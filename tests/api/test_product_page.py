"""The product page: lookups, formats, category path, featured offer and other offers."""
from decimal import Decimal

from bench.pages import PRODUCT_PAGE, PRODUCT_PAGE_WITH_REVIEWS
from tests.conftest import count_statements

HP1_ISBN13 = "9780439554930"


async def _product_slug(gql, isbn: str) -> str:
    body = await gql("query($isbn: String!) { product(isbn: $isbn) { slug } }", {"isbn": isbn})
    return body["data"]["product"]["slug"]


async def test_product_by_isbn10_isbn13_slug_and_id_is_the_same_product(gql):
    by13 = (await gql('{ product(isbn: "9780439554930") { id slug title } }'))["data"]["product"]
    by10 = (await gql('{ product(isbn: "0-439-55493-4") { id } }'))["data"]["product"]
    by_slug = (await gql("query($s: String!) { product(slug: $s) { id } }", {"s": by13["slug"]}))["data"]["product"]
    by_id = (await gql("query($id: ID!) { product(id: $id) { id } }", {"id": by13["id"]}))["data"]["product"]
    assert "Harry Potter" in by13["title"]
    assert by10["id"] == by_slug["id"] == by_id["id"] == by13["id"]


async def test_product_page_shows_formats_category_path_and_offers(gql):
    slug = await _product_slug(gql, HP1_ISBN13)
    product = (await gql(PRODUCT_PAGE, {"slug": slug, "offers": 10}))["data"]["product"]
    formats = {f["format"] for f in product["formats"]}
    assert "KINDLE" in formats and formats & {"HARDCOVER", "PAPERBACK"}
    assert product["id"] in {f["id"] for f in product["formats"]}
    assert [a["name"] for a in product["category"]["ancestors"]] == ["Books"]
    featured = product["featuredOffer"]
    assert featured["inStock"] is True and featured["condition"] == "NEW"
    offers = product["offers"]["nodes"]
    assert 1 <= len(offers) <= 10
    in_stock_landed = [Decimal(o["landedPrice"]["amount"]) for o in offers if o["quantityAvailable"] > 0]
    assert in_stock_landed == sorted(in_stock_landed)
    assert featured["id"] in {o["id"] for o in offers} or product["offers"]["pageInfo"]["hasNextPage"]
    assert product["priceRange"]["offerCount"] >= 1
    assert Decimal(product["priceRange"]["min"]["amount"]) <= Decimal(featured["price"]["amount"])


async def test_featured_offer_is_the_cheapest_new_in_stock_offer_of_a_seller_in_good_standing(gql):
    slug = await _product_slug(gql, HP1_ISBN13)
    body = await gql("""query($s: String!) { product(slug: $s) { featuredOffer { id }
        offers(first: 100) { nodes { id condition inStock landedPrice { amount } seller { standing } } } } }""",
                     {"s": slug})
    product = body["data"]["product"]
    eligible = [o for o in product["offers"]["nodes"]
                if o["inStock"] and o["condition"] == "NEW" and o["seller"]["standing"] == "GOOD"]
    cheapest = min(Decimal(o["landedPrice"]["amount"]) for o in eligible)
    featured = next(o for o in eligible if o["id"] == product["featuredOffer"]["id"])
    assert Decimal(featured["landedPrice"]["amount"]) == cheapest


async def test_kindle_edition_costs_less_than_the_hardcover(gql):
    slug = await _product_slug(gql, HP1_ISBN13)
    product = (await gql(PRODUCT_PAGE, {"slug": slug, "offers": 1}))["data"]["product"]
    prices = {f["format"]: Decimal(f["featuredOffer"]["price"]["amount"])
              for f in product["formats"] if f["featuredOffer"]}
    if "HARDCOVER" in prices:
        assert prices["KINDLE"] < prices["HARDCOVER"]
    assert Decimal("4.99") <= prices["KINDLE"] <= Decimal("14.99")


async def test_unknown_slug_and_isbn_give_null(gql):
    body = await gql('{ a: product(slug: "no-such-product") { id } b: product(isbn: "9780000000002") { id } }')
    assert body["data"] == {"a": None, "b": None}


async def test_product_page_statement_count_does_not_grow_with_page_size(gql):
    slug = await _product_slug(gql, HP1_ISBN13)
    counts = []
    for offers in (1, 10, 100):
        with count_statements() as counter:
            await gql(PRODUCT_PAGE, {"slug": slug, "offers": offers})
        counts.append(counter.count)
    # product, category with ancestors, formats, the buy boxes of the product and its formats
    # (one batch: the product loads them by level), offers page
    assert counts == [5, 5, 5], "\n".join(counter.statements)


async def test_a_product_pages_offers_load_with_its_other_relations_when_their_arguments_are_certain(gql, monkeypatch):
    """The offers page is loaded by level with the product's other relations (no batch of the
    loader sent later), unless the selection leaves what it asks for uncertain: two aliased
    pages, or a page under `@include`; every answer is the same either way."""
    from api.core.dataloaders import Loader

    slug = await _product_slug(gql, HP1_ISBN13)
    batches: list[list] = []
    dispatch = Loader._dispatch

    async def counted(self, batch):
        batches.append(list(batch.keys))
        return await dispatch(self, batch)

    monkeypatch.setattr(Loader, "_dispatch", counted)
    page = "offers(first: $n, condition: NEW) { totalCount nodes { id condition } }"
    plain = f"query($s: String!, $n: Int) {{ product(slug: $s) {{ {page} }} }}"
    aliased = f"query($s: String!, $n: Int) {{ product(slug: $s) {{ a: {page} b: offers(first: 1) {{ nodes {{ id }} }} }} }}"
    skipped = f"query($s: String!, $n: Int, $on: Boolean!) {{ product(slug: $s) {{ ... @include(if: $on) {{ {page} }} }} }}"
    first = (await gql(plain, {"s": slug, "n": 3}))["data"]["product"]["offers"]
    assert batches == []
    assert len(first["nodes"]) == min(3, first["totalCount"]) and {o["condition"] for o in first["nodes"]} == {"NEW"}
    both = (await gql(aliased, {"s": slug, "n": 3}))["data"]["product"]
    assert both["a"] == first and len(both["b"]["nodes"]) == 1
    # the two pages in one batch, as before (per run: the suite's client runs both executors)
    assert batches and all(set(b) == set(batches[0]) and len(b) == 2 for b in batches)
    with count_statements() as counter:
        off = (await gql(skipped, {"s": slug, "n": 3, "on": False}))["data"]["product"]
    assert off == {} and counter.count == 1  # the product alone: no page loaded for nothing
    assert (await gql(skipped, {"s": slug, "n": 3, "on": True}))["data"]["product"]["offers"] == first
    batches.clear()
    body = await gql(PRODUCT_PAGE_WITH_REVIEWS, {"slug": slug, "offers": 10})  # its reviews and questions too
    assert batches == [] and "errors" not in body and body["data"]["product"]["questions"]["nodes"] is not None


async def test_offers_pagination_walks_every_offer_once(gql):
    # the most-offered product among popular books
    body = await gql('{ search(query: "harry potter", first: 1, filter: {formats: [HARDCOVER]}) { nodes { slug } } }')
    slug = body["data"]["search"]["nodes"][0]["slug"]
    query = """query($slug: String!, $after: String) { product(slug: $slug) {
      offers(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } }"""
    seen, after = [], None
    while True:
        page = (await gql(query, {"slug": slug, "after": after}))["data"]["product"]["offers"]
        seen += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"]


async def test_category_tree_children_ancestors_and_products(gql):
    body = await gql("""{ categories { name slug children { name slug ancestors { slug }
      products(first: 3) { totalCount nodes { category { slug ancestors { slug } } } } } } }""")
    roots = body["data"]["categories"]
    names = [c["name"] for c in roots]
    assert names[:2] == ["Books", "Kindle eBooks"] or {"Books", "Kindle eBooks", "Electronics"} <= set(names)
    books = next(c for c in roots if c["name"] == "Books")
    assert books["children"]
    for child in books["children"]:
        assert child["ancestors"] == [{"slug": books["slug"]}]
        for product in child["products"]["nodes"]:
            assert product["category"]["slug"] == child["slug"]


async def test_category_products_include_subcategories(gql):
    body = await gql('{ categories { slug products(first: 1) { totalCount } children { products(first: 1) { totalCount } } } }')
    for root in body["data"]["categories"]:
        assert root["products"]["totalCount"] >= sum(c["products"]["totalCount"] for c in root["children"])


async def test_seller_and_brand_pages(gql):
    body = await gql('{ seller(slug: "tributary-retail") { id name isFirstParty standing offers(first: 5) { totalCount nodes { seller { slug } } } } }')
    seller = body["data"]["seller"]
    assert seller["isFirstParty"] is True and seller["standing"] == "GOOD"
    assert seller["offers"]["totalCount"] > 0
    assert {n["seller"]["slug"] for n in seller["offers"]["nodes"]} == {"tributary-retail"}
    brands = await gql('{ search(query: "", first: 1) { facets { brands { brand { slug } count } } } }')
    brand = brands["data"]["search"]["facets"]["brands"][0]
    page = await gql('query($s: String!) { brand(slug: $s) { name products(first: 100) { totalCount nodes { brand { slug } } } } }',
                     {"s": brand["brand"]["slug"]})
    products = page["data"]["brand"]["products"]
    assert products["totalCount"] == brand["count"]
    assert {n["brand"]["slug"] for n in products["nodes"]} == {brand["brand"]["slug"]}


async def test_future_release_dates_are_preorders(gql):
    body = await gql('{ search(query: "anniversary edition", first: 5) { nodes { title releaseDate isPreorder } } }')
    nodes = body["data"]["search"]["nodes"]
    assert nodes and all(n["isPreorder"] for n in nodes if "Anniversary Edition" in n["title"])
    past = await gql('{ product(isbn: "9780439554930") { releaseDate isPreorder } }')
    assert past["data"]["product"]["isPreorder"] is False


async def test_attributes_are_typed(gql):
    body = await gql('{ product(isbn: "9780439554930") { attributes { name value type } } }')
    attributes = {a["name"]: a for a in body["data"]["product"]["attributes"]}
    assert attributes["publicationYear"] == {"name": "publicationYear", "value": "1997", "type": "NUMBER"}
    assert attributes["language"]["type"] == "STRING"
