"""Look-ahead answers are kept per document node: the same text gets the same answer without
walking its selections again, and another document is never answered from the first's."""
import strawberry
from strawberry.extensions import ParserCache

from api.core import lookahead

answers: list[bool] = []


@strawberry.type(description="An item.")
class Item:
    name: str = strawberry.field(description="Its name.")
    price: int = strawberry.field(description="Its price.")


@strawberry.type(description="Root.")
class Query:
    @strawberry.field(description="Items, noting whether their prices are asked for.")
    def items(self, info: strawberry.Info) -> list[Item]:
        answers.append(lookahead.selects(info, ("price",)))
        return [Item(name="a", price=1)]


SCHEMA = strawberry.Schema(query=Query, extensions=[lambda: ParserCache(maxsize=8)])


async def test_answers_follow_each_document_and_are_kept_for_the_same_one():
    answers.clear()
    with_price, without = "{ items { name price } }", "{ items { name } }"
    fragment = "query { items { ...F } } fragment F on Item { price }"
    for document in (with_price, without, with_price, without, fragment, fragment):
        assert not (await SCHEMA.execute(document)).errors
    assert answers == [True, False, True, False, True, True]
    # each answer is kept with the node it is for, under that node's id
    assert all(key[0] == id(node) for key, (node, _) in lookahead._ANSWERS.items())
