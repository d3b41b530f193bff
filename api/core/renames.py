"""Mutations under the names they had before a rename, kept for one release so that clients
move at their own pace. Mutations are named verb-first (`createCart`, `placeOrder`).

An alias is the same resolver under the former name: the same input type, payload and
behaviour, and one place to change them. The input and payload types keep their names across
the rename (GraphQL has no aliases for types, and a client's stored operations declare them,
`$input: CartCreateInput!`), so a client only has to change the field it calls."""
from __future__ import annotations

import strawberry
from strawberry.types.field import StrawberryField


def former_name(mutation: StrawberryField, name: str) -> StrawberryField:
    """`mutation` (whose GraphQL name is `name`) again, deprecated, for the class attribute that
    gives its former name: `cart_create = former_name(create_cart, "createCart")`."""
    return strawberry.mutation(
        resolver=mutation.base_resolver, deprecation_reason=f"Use {name}.",
        description=f"Former name of `{name}`, which it runs (same input, payload and behaviour); it will be"
                    f" removed in a later release. {mutation.description}")
