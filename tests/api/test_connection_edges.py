"""A connection makes its edges only when they are asked for: a page read through `nodes`
encodes the two cursors of its page info and no cursor per item."""
import strawberry

from api.core import pagination
from api.core.pagination import Connection, connection, decode_cursor
from domain.shared.pagination import Page


@strawberry.type(description="An item.")
class Item:
    name: str = strawberry.field(description="Its name.")


@strawberry.type(description="Root.")
class Query:
    @strawberry.field(description="Three items, the second page of a list.")
    def items(self) -> Connection[Item]:
        return connection(Page([Item(name=n) for n in "abc"], offset=3, has_next=True, total=9))


SCHEMA = strawberry.Schema(query=Query)


async def test_nodes_alone_encode_no_cursor_per_item_and_edges_point_at_their_items(monkeypatch):
    encoded: list[int] = []
    encode = pagination.encode_cursor
    monkeypatch.setattr(pagination, "encode_cursor", lambda offset: encoded.append(offset) or encode(offset))

    result = await SCHEMA.execute("{ items { nodes { name } pageInfo { startCursor endCursor } totalCount } }")
    assert not result.errors
    assert [n["name"] for n in result.data["items"]["nodes"]] == ["a", "b", "c"]
    assert result.data["items"]["totalCount"] == 9
    assert encoded == [3, 5]  # the page info's, and no other

    encoded.clear()
    result = await SCHEMA.execute("{ items { edges { cursor node { name } } pageInfo { endCursor } } }")
    assert not result.errors
    edges = result.data["items"]["edges"]
    assert [(decode_cursor(e["cursor"], "after"), e["node"]["name"]) for e in edges] == [(3, "a"), (4, "b"), (5, "c")]
    assert edges[-1]["cursor"] == result.data["items"]["pageInfo"]["endCursor"]
    assert sorted(encoded) == [3, 3, 4, 5, 5]
