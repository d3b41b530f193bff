"""Cart root fields."""
from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.carts.types import Cart
from api.core import ids
from domain.carts import service as carts

CartIdArg = Annotated[Optional[strawberry.ID], strawberry.argument(
    description="Global ID of the cart; omit it to get your own active cart (signed in) or a guest cart by `token`.")]
CartTokenArg = Annotated[Optional[str], strawberry.argument(
    description="A guest cart's token, as `createCart` returned it.")]


async def carts_for_nodes(info: Info, pks: list[int]) -> list:
    """`node(id:)` for carts: their owner and administrators (guests read theirs with `cart(token:)`)."""
    found = await carts.carts_by_ids(info.context.reader, await info.context.viewer(), pks)
    return [found.get(pk) for pk in pks]


async def cart_lines_for_nodes(info: Info, pks: list[int]) -> list:
    """`node(id:)` for cart lines: those of the carts `node` gives the caller."""
    found = await carts.cart_lines_by_ids(info.context.reader, await info.context.viewer(), pks)
    return [found.get(pk) for pk in pks]


@strawberry.type
class CartQuery:
    @strawberry.field(description="A cart: by `id` (yours, a guest cart with its `token`, or any for an administrator), by `token` alone (a guest cart), or with neither your own active cart when signed in. Null when there is no such cart or you may not see it.")
    async def cart(self, info: Info, id: CartIdArg = None, token: CartTokenArg = None) -> Cart | None:
        cart_id = None if id is None else ids.decode_as(id, "Cart")
        return await carts.find_cart(info.context.reader, await info.context.viewer(), cart_id=cart_id,
                                        token=token)
