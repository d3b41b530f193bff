"""GraphQL documents and steps shared by the catalogue management tests."""
from __future__ import annotations

import asyncpg

from api.core import ids
from domain.shared.db import Database
from tests.fixtures.db import fetch  # noqa: F401  (re-exported for the tests here)
from tests.fixtures.db import fetchval as scalar  # noqa: F401

ERRORS = "userErrors { code message field }"
CATEGORY_FIELDS = "id name slug description position depth archivedAt parent { id slug } ancestors { slug }"
BRAND_FIELDS = "id name slug description archivedAt"
PRODUCT_FIELDS = """id title slug description kind format isbn authors releaseDate archivedAt
  category { id slug } brand { id slug } work { id title } attributes { name value type }
  images { url altText width height }"""

CREATE_CATEGORY = f"""mutation($input: CreateCategoryInput!) {{ createCategory(input: $input) {{
  category {{ {CATEGORY_FIELDS} }} {ERRORS} }} }}"""
UPDATE_CATEGORY = f"""mutation($input: UpdateCategoryInput!) {{ updateCategory(input: $input) {{
  category {{ {CATEGORY_FIELDS} }} {ERRORS} }} }}"""
ARCHIVE_CATEGORY = f"""mutation($input: ArchiveCategoryInput!) {{ archiveCategory(input: $input) {{
  category {{ {CATEGORY_FIELDS} }} {ERRORS} }} }}"""
CREATE_BRAND = f"""mutation($input: CreateBrandInput!) {{ createBrand(input: $input) {{
  brand {{ {BRAND_FIELDS} }} {ERRORS} }} }}"""
UPDATE_BRAND = f"""mutation($input: UpdateBrandInput!) {{ updateBrand(input: $input) {{
  brand {{ {BRAND_FIELDS} }} {ERRORS} }} }}"""
ARCHIVE_BRAND = f"""mutation($input: ArchiveBrandInput!) {{ archiveBrand(input: $input) {{
  brand {{ {BRAND_FIELDS} }} {ERRORS} }} }}"""
CREATE_PRODUCT = f"""mutation($input: CreateProductInput!) {{ createProduct(input: $input) {{
  product {{ {PRODUCT_FIELDS} }} {ERRORS} }} }}"""
UPDATE_PRODUCT = f"""mutation($input: UpdateProductInput!) {{ updateProduct(input: $input) {{
  product {{ {PRODUCT_FIELDS} }} {ERRORS} }} }}"""
ARCHIVE_PRODUCT = f"""mutation($input: ArchiveProductInput!) {{ archiveProduct(input: $input) {{
  product {{ {PRODUCT_FIELDS} }} {ERRORS} }} }}"""

SEARCH = "query($q: String!) { search(query: $q, first: 10) { totalCount nodes { id title } } }"
# Newest first: the test products' 2024 release date puts them on the first page.
IN_CATEGORY = """query($slug: String!) { category(slug: $slug) { id products(first: 100, sortKey: NEWEST) {
  totalCount nodes { id } } } }"""
PRODUCTS_IN = """query($c: ID!) { products(first: 100, sortKey: NEWEST, filter: {categoryId: $c}) {
  nodes { id } } }"""
PRODUCT_BY_ID = "query($id: ID!) { product(id: $id) { id title } node(id: $id) { id } }"

# A leaf category and a brand of the seeded catalogue.
FANTASY = "books-fantasy"


def gid(type_name: str, pk: int) -> str:
    return ids.encode(type_name, pk)


def pk(global_id: str) -> int:
    return ids.decode(global_id)[1]


def data(body: dict, field: str) -> dict:
    assert "errors" not in body, body["errors"]
    return body["data"][field]


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def table_counts(db: Database) -> dict[str, int]:
    """Row counts of everything a catalogue mutation may write, to assert nothing changed."""
    conn = await asyncpg.connect(db.url)
    try:
        return {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in
                ("categories", "brands", "works", "products", "search_documents", "product_imports",
                 "product_import_chunks", "jobs")}
    finally:
        await conn.close()


async def category_id(db: Database, slug: str) -> int:
    return await scalar(db, "SELECT id FROM categories WHERE slug = $1", slug)


def book_input(**overrides) -> dict:
    base = {"title": "The Lighthouse Cartographer", "kind": "PHYSICAL", "format": "HARDCOVER",
            "description": "A keeper maps the drowned coast.", "isbn": "978-0-306-40615-7",
            "authors": ["Mara Quillfeather"], "releaseDate": "2024-05-01",
            "attributes": [{"name": "pages", "type": "NUMBER", "value": "320"},
                           {"name": "language", "type": "STRING", "value": "eng"},
                           {"name": "signed", "type": "BOOLEAN", "value": "true"},
                           {"name": "awards", "type": "LIST", "value": '["Hugo", "Nebula"]'}],
            "images": [{"url": "https://images.example.com/lighthouse.jpg", "altText": "Cover",
                        "width": 600, "height": 900}]}
    base.update(overrides)
    return base
