"""What real pages cost: the table of docs/cost-limits.md is computed here from the README's
examples and the benchmark's pages, and every one of them costs well under a full budget."""
from __future__ import annotations

import re

import pytest
from graphql import parse, validate

from api.limits.cost import int_variables, operation_cost, selected_operation
from api.schema import build_schema
from bench.pages import CATEGORY_BROWSE, PRODUCT_PAGE, SEARCH_PAGE
from domain.shared.config import Settings
from tests.docs.guides import DOCS, README, examples

SCHEMA = build_schema(Settings(env="development"))._schema
GUIDE = (DOCS / "cost-limits.md").read_text()
README_EXAMPLES = examples(README)
DEFAULTS = {name: field.default for name, field in Settings.model_fields.items()}  # not the environment's

SEARCH_WITH_OFFERS = """
query SearchWithOffers($query: String!, $first: Int!) {
  search(query: $query, first: $first) {
    totalCount
    nodes {
      id title
      featuredOffer { price { amount } seller { id name } }
      offers(first: 10) { nodes { id price { amount currencyCode } seller { id name } } }
    }
  }
}
"""

PAGES = {
    "README: a first query (search, 5 results, facets)":
        (next(d for d in README_EXAMPLES if "search(" in d), {}),
    "README: a product page (10 offers)": (next(d for d in README_EXAMPLES if "product(" in d), {}),
    "product page, 10 offers (`ProductPage`)": (PRODUCT_PAGE, {"slug": "a", "offers": 10}),
    "product page, 50 offers (`ProductPage`)": (PRODUCT_PAGE, {"slug": "a", "offers": 50}),
    "search page, 50 results and facets (`SearchPage`)": (SEARCH_PAGE, {"query": "a", "first": 50}),
    "search page, 100 results and facets (`SearchPage`)": (SEARCH_PAGE, {"query": "a", "first": 100}),
    "category page, 100 products (`CategoryBrowse`)": (CATEGORY_BROWSE, {"slug": "a", "first": 100}),
    "search, 50 results with 10 offers each": (SEARCH_WITH_OFFERS, {"query": "a", "first": 50}),
}


def cost(document: str, variables: dict | None = None) -> int:
    parsed = parse(document)
    assert validate(SCHEMA, parsed) == []
    operation = selected_operation(parsed, None)
    return operation_cost(SCHEMA, parsed, operation, int_variables(operation, variables or {}))


def documented_costs() -> dict[str, tuple[int, str]]:
    section = GUIDE.split("## What real pages cost", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (.+?) \| ([\d,]+) \| ([\d.]+%) \|$", section, re.M)
    return {page: (int(points.replace(",", "")), share) for page, points, share in rows}


def test_the_guide_shows_what_each_page_costs():
    budget = DEFAULTS["cost_budget"]
    computed = {page: cost(document, variables) for page, (document, variables) in PAGES.items()}
    assert documented_costs() == {page: (points, f"{100 * points / budget:.1f}%") for page, points in computed.items()}


def test_every_page_costs_well_under_a_full_budget():
    assert DEFAULTS["cost_budget"] >= DEFAULTS["max_cost"]  # whatever the limit lets through runs on a full budget
    for page, (document, variables) in PAGES.items():
        share = cost(document, variables) / DEFAULTS["cost_budget"]
        assert share < (0.1 if "README" in page or "`" in page else 0.3), page


def test_the_worked_example_adds_up_to_the_readme_product_page():
    rows = re.findall(r"^\| `[^|]+` \| ([\d x+()]+) \|$", GUIDE, re.M)
    total = re.search(r"^\| total \| (\d+) \|$", GUIDE, re.M)
    assert sum(eval(row.replace("x", "*")) for row in rows) == int(total[1])  # noqa: S307  (digits, + and x only)
    assert int(total[1]) == cost(PAGES["README: a product page (10 offers)"][0])


@pytest.mark.parametrize("document, expected", [
    # A page's own fields are paid once, its items per item.
    ('{ search(query: "a", first: 50) { totalCount nodes { id } } }', 2 + 50),
    ('{ search(query: "a", first: 50) { totalCount pageInfo { hasNextPage } facets { kinds { kind count } } } }',
     2 + 50 + 1),
    ('{ search(query: "a", first: 50) { nodes { category { name } } facets { kinds { kind } brands { brand { id } } } } }',
     2 + 50 * 1 + 1 + 2),
    ('{ search(query: "a", first: 50) { edges { cursor node { category { name } } } } }', 2 + 50 * 1),
    # ...fragments included: a fragment spread on the page splits the same way.
    ('{ search(query: "a", first: 50) { ...Page } } fragment Page on ProductSearchConnection'
     " { facets { kinds { kind } } nodes { category { name } } }", 2 + 50 * 1 + 1),
    # A page that is a plain list is all items; `librarySync`'s items are its `changes`.
    ('{ searchSuggestions(prefix: "ha", first: 10) { text product { id } } }', 2 + 10 * 1),
    ("{ librarySync(first: 10) { hasMore changes { licence { id } } } }", 2 + 10 * (1 + 1)),
    # Value objects cost 1 like any object; lists without a page size cost once.
    ('{ product(slug: "a") { images { url } formats { id } priceRange { min { amount } } } }', 1 + 1 + 1 + 2),
])
def test_a_page_is_paid_per_item_for_its_lists_and_once_for_the_rest(document, expected):
    assert cost(document) == expected
