"""Shared steps of the list tests: the documents they send and products to put on lists."""
from __future__ import annotations

import uuid

from api.core import ids
from tests.fixtures.db import fetch, fetchval

LIST_FIELDS = "id name kind visibility itemCount viewerIsOwner"
ERRORS = "userErrors { code field message ... on ListError { itemLimit } }"
CREATE = f"""mutation($input: CreateListInput!) {{ createList(input: $input) {{ list {{ {LIST_FIELDS} }} {ERRORS} }} }}"""
UPDATE = f"""mutation($input: UpdateListInput!) {{ updateList(input: $input) {{ list {{ {LIST_FIELDS} }} {ERRORS} }} }}"""
DELETE = f"""mutation($id: ID!) {{ deleteList(input: {{listId: $id}}) {{ deletedListId {ERRORS} }} }}"""
ADD = f"""mutation($input: AddListItemsInput!) {{ addListItems(input: $input) {{
  list {{ {LIST_FIELDS} items(first: 100) {{ nodes {{ id key quantity note checked product {{ id }} }} }} }} {ERRORS} }} }}"""
REMOVE = f"""mutation($ids: [ID!]!) {{ removeListItems(input: {{itemIds: $ids}}) {{ list {{ {LIST_FIELDS} }} {ERRORS} }} }}"""
UPDATE_ITEMS = f"""mutation($input: UpdateListItemsInput!) {{ updateListItems(input: $input) {{
  list {{ items {{ nodes {{ id quantity note }} }} }} {ERRORS} }} }}"""
CHECK = f"""mutation($ids: [ID!]!, $checked: Boolean! = true) {{ checkOffListItems(input: {{itemIds: $ids, checked: $checked}}) {{
  list {{ items {{ nodes {{ id checked checkedAt }} }} }} {ERRORS} }} }}"""
SHARE = f"""mutation($id: ID!) {{ shareList(input: {{listId: $id}}) {{ shareToken list {{ {LIST_FIELDS} }} {ERRORS} }} }}"""
REVOKE = f"""mutation($id: ID!) {{ revokeListShareLink(input: {{listId: $id}}) {{ list {{ {LIST_FIELDS} }} {ERRORS} }} }}"""
INVITE = f"""mutation($id: ID!, $email: String!) {{ inviteToShoppingList(input: {{listId: $id, email: $email}}) {{
  list {{ id }} {ERRORS} }} }}"""
ACCEPT = f"""mutation($token: String!) {{ acceptShoppingListInvitation(input: {{token: $token}}) {{
  list {{ {LIST_FIELDS} }} {ERRORS} }} }}"""
SYNC = f"""mutation($input: SyncShoppingListInput!) {{ syncShoppingList(input: $input) {{
  results {{ changeId key outcome }} items {{ key quantity note checked removed product {{ id }} }} syncToken
  list {{ itemCount }} {ERRORS} }} }}"""
MOVE = f"""mutation($input: MoveListItemsToCartInput!) {{ moveListItemsToCart(input: $input) {{
  cart {{ id lines {{ quantity offer {{ id }} product {{ id }} }} }} movedItemIds skippedItems {{ item {{ id }} reason }}
  list {{ itemCount items {{ nodes {{ id checked }} }} }} {ERRORS} }} }}"""
PAGE = """query($id: ID!, $first: Int!) { list(id: $id) { id name visibility itemCount
  entries(first: $first) { totalCount nodes { work { id title } product { id title }
    items { id quantity product { id title format } } } } } }"""
SHARED = "query($token: String!) { sharedList(token: $token) { id name items { nodes { product { id } } } } }"
MY_LISTS = """{ viewer { customer { wishList { id kind itemCount } lists(first: 50) { totalCount nodes { id kind name } } } } }"""
TABLES = ("lists", "list_items", "list_members", "list_invitations", "list_sync_receipts")

_OFFERED = ("EXISTS (SELECT 1 FROM offers o JOIN sellers s ON s.id = o.seller_id WHERE o.product_id = p.id"
            " AND o.quantity > 20 AND o.archived_at IS NULL AND o.purchase_option = 'BUY' AND o.condition = 'NEW')")


def gid(kind: str, pk: int) -> str:
    return ids.encode(kind, pk)


def new_key() -> str:
    return str(uuid.uuid4())


async def rows(db) -> dict:
    """Every list table's rows, to prove a refusal wrote nothing."""
    return {t: sorted(tuple(r) for r in await fetch(db, f"SELECT * FROM {t}")) for t in TABLES}


async def work_formats(db) -> list[int]:
    """Two formats (products) of one work."""
    return list(await fetchval(
        db, "SELECT (array_agg(id ORDER BY id))[1:2] FROM products WHERE work_id IS NOT NULL AND archived_at IS NULL"
            " GROUP BY work_id HAVING count(*) >= 2 ORDER BY work_id LIMIT 1"))


async def physical_products(db, n: int, offset: int = 0) -> list[int]:
    """Physical products on sale, each with a featured offer in good stock."""
    found = await fetch(db, f"SELECT p.id FROM products p WHERE p.kind = 'PHYSICAL' AND p.work_id IS NULL AND p.archived_at IS NULL"
                            f" AND {_OFFERED} ORDER BY p.id OFFSET $1 LIMIT $2", offset, n)
    assert len(found) == n
    return [r[0] for r in found]


async def unoffered_product(db) -> int:
    return await fetchval(db, "SELECT p.id FROM products p WHERE p.archived_at IS NULL AND p.kind = 'PHYSICAL'"
                              " AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.product_id = p.id AND o.quantity > 0"
                              " AND o.archived_at IS NULL) ORDER BY p.id LIMIT 1")


def errors(body: dict, mutation: str) -> list[dict]:
    assert "errors" not in body, body
    return [{k: e[k] for k in ("code", "field")} for e in body["data"][mutation]["userErrors"]]


def ok(body: dict, mutation: str) -> dict:
    assert "errors" not in body, body
    payload = body["data"][mutation]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


async def make_list(caller, http, name="Groceries", kind="SHOPPING", visibility="PRIVATE") -> str:
    body = await caller(http, CREATE, {"input": {"name": name, "kind": kind, "visibility": visibility}})
    return ok(body, "createList")["list"]["id"]


async def add(caller, http, list_id: str | None, products: list[int], quantity: int = 1) -> dict:
    items = [{"productId": gid("Product", p), "quantity": quantity} for p in products]
    body = await caller(http, ADD, {"input": {"listId": list_id, "items": items}})
    return ok(body, "addListItems")["list"]
