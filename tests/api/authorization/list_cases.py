"""What each role may do with lists: a list is its owner's (and a shopping list's household's) to
change; anyone else's edit finds no such list (NOT_FOUND), administrators included, since a list
is personal data with nothing to moderate. Private lists and their items are nobody else's to
read through `node` either."""
from __future__ import annotations

import uuid

from api.core import ids
from tests.api.authorization.world import World
from tests.fixtures.db import fetchval

_ITEMS = "list { id } userErrors { code }"


def _owner_only() -> dict[str, str]:
    others = "NOT_FOUND"
    return {"anonymous": "UNAUTHENTICATED", "other_customer": others, "seller_staff": others, "admin": others,
            "owner": "ok"}


async def _product(world: World) -> int:
    return await fetchval(world.database, "SELECT p.id FROM products p WHERE p.kind = 'PHYSICAL' AND"
                                          " p.archived_at IS NULL AND EXISTS (SELECT 1 FROM offers o WHERE"
                                          " o.product_id = p.id AND o.quantity > 5 AND o.archived_at IS NULL)"
                                          " ORDER BY p.id LIMIT 1")


async def owner_list(world: World, role: str = "owner", kind: str = "SHOPPING") -> dict:
    """A new list of the role's (the owner's by default) with one item: its id and the item's."""
    body = await world.as_role(role, """mutation($kind: ListKind!) { createList(input: {name: "Matrix", kind: $kind})
        { list { id } } }""", {"kind": kind})
    list_id = body["data"]["createList"]["list"]["id"]
    body = await world.as_role(role, """mutation($id: ID!, $p: ID!) { addListItems(input: {listId: $id,
        items: [{productId: $p}]}) { list { items { nodes { id key } } } } }""",
                               {"id": list_id, "p": ids.encode("Product", await _product(world))})
    item = body["data"]["addListItems"]["list"]["items"]["nodes"][0]
    return {"id": list_id, "item": item["id"], "key": item["key"]}


async def _list_vars(world: World, role: str) -> dict:
    return {"id": (await owner_list(world))["id"]}


async def _item_vars(world: World, role: str) -> dict:
    return {"item": (await owner_list(world))["item"]}


async def _add_vars(world: World, role: str) -> dict:
    return {"id": (await owner_list(world))["id"], "p": ids.encode("Product", await _product(world))}


async def _sync_vars(world: World, role: str) -> dict:
    made = await owner_list(world)
    return {"id": made["id"], "change": str(uuid.uuid4()), "key": made["key"]}


async def _invitation(world: World, role: str) -> dict:
    """An invitation for the owner's address to another customer's shopping list."""
    made = await owner_list(world, "other_customer")
    await world.as_role("other_customer", """mutation($id: ID!, $email: String!) { inviteToShoppingList(input:
        {listId: $id, email: $email}) { userErrors { code } } }""", {"id": made["id"], "email": world.owner.email})
    token = await fetchval(world.database, "SELECT payload->'secrets'->>'token' FROM jobs WHERE payload->>'template'"
                                           " = 'shopping_list_invitation' ORDER BY id DESC LIMIT 1")
    return {"token": token}


def _case(document: str, prepare, expect=None):
    from tests.api.authorization.cases import Case

    return Case(document, expect or _owner_only(), prepare)


def list_mutation_cases() -> dict:
    from tests.api.authorization.cases import Case, signed_in

    return {
        "createList": Case('mutation { createList(input: {name: "Mine"}) { list { id } userErrors { code } } }',
                           signed_in()),
        "updateList": _case(f'mutation($id: ID!) {{ updateList(input: {{listId: $id, name: "Renamed"}}) {{ {_ITEMS} }} }}',
                            _list_vars),
        "deleteList": _case("mutation($id: ID!) { deleteList(input: {listId: $id}) { deletedListId userErrors { code } } }",
                            _list_vars),
        "addListItems": _case(f"mutation($id: ID!, $p: ID!) {{ addListItems(input: {{listId: $id, items: [{{productId: $p}}]}}) {{ {_ITEMS} }} }}",
                              _add_vars),
        "removeListItems": _case(f"mutation($item: ID!) {{ removeListItems(input: {{itemIds: [$item]}}) {{ {_ITEMS} }} }}",
                                 _item_vars),
        "updateListItems": _case(f"mutation($item: ID!) {{ updateListItems(input: {{items: [{{itemId: $item, quantity: 2}}]}}) {{ {_ITEMS} }} }}",
                                 _item_vars),
        "checkOffListItems": _case(f"mutation($item: ID!) {{ checkOffListItems(input: {{itemIds: [$item]}}) {{ {_ITEMS} }} }}",
                                   _item_vars),
        "shareList": _case("mutation($id: ID!) { shareList(input: {listId: $id}) { shareToken userErrors { code } } }",
                           _list_vars),
        "revokeListShareLink": _case(f"mutation($id: ID!) {{ revokeListShareLink(input: {{listId: $id}}) {{ {_ITEMS} }} }}",
                                     _list_vars),
        "inviteToShoppingList": _case(f'mutation($id: ID!) {{ inviteToShoppingList(input: {{listId: $id, email: "friend@example.com"}}) {{ {_ITEMS} }} }}',
                                      _list_vars),
        # The invitation is for the owner's address: nobody else can use its token.
        "acceptShoppingListInvitation": _case(
            f"mutation($token: String!) {{ acceptShoppingListInvitation(input: {{token: $token}}) {{ {_ITEMS} }} }}",
            _invitation, {"anonymous": "UNAUTHENTICATED", "other_customer": "INVITATION_INVALID",
                          "seller_staff": "INVITATION_INVALID", "admin": "INVITATION_INVALID", "owner": "ok"}),
        "syncShoppingList": _case(
            "mutation($id: ID!, $change: UUID!, $key: UUID!) { syncShoppingList(input: {listId: $id, changes: "
            "[{changeId: $change, kind: CHECK, key: $key}]}) { syncToken userErrors { code } } }", _sync_vars),
        "moveListItemsToCart": _case(
            "mutation($id: ID!) { moveListItemsToCart(input: {listId: $id}) { movedItemIds userErrors { code } } }",
            _list_vars),
    }


# Node types: a private list and its items are their owner's alone (administrators included).
OWNER_ONLY_NODE = {"anonymous": "hidden", "other_customer": "hidden", "seller_staff": "hidden", "admin": "hidden",
                   "owner": "visible"}
LIST_NODES = {
    "List": (lambda w: _node(w, "id"), OWNER_ONLY_NODE),
    "ListItem": (lambda w: _node(w, "item"), OWNER_ONLY_NODE),
}


async def _node(world: World, field: str) -> str:
    return (await owner_list(world, kind="NAMED"))[field]
