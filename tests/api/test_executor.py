"""The inline leaf path gives exactly the stock executor's results, errors included."""
from decimal import Decimal
from enum import Enum

import strawberry

from api.core.executor import FastExecutionContext, inline


@strawberry.enum(description="Colour.")
class Colour(str, Enum):
    RED = "RED"


@strawberry.type(description="Thing.")
class Thing:
    name: str = strawberry.field(description="Required name.")
    price: Decimal | None = strawberry.field(description="Optional price.")
    colour: Colour = strawberry.field(description="Colour.")
    count: int = strawberry.field(description="A count.")

    @strawberry.field(description="Name shouted, computed from the root only.")
    @inline
    def shout(self) -> str | None:
        return self.name.upper() if self.name else None


class Row:
    def __init__(self, name, price, colour, count):
        self.name, self.price, self.colour, self.count = name, price, colour, count


@strawberry.type
class Query:
    @strawberry.field(description="Things.")
    def things(self) -> list[Thing | None]:
        return [Row("a", Decimal("1.50"), "RED", 3), Row(None, None, "RED", 1), Row("b", None, "RED", "x")]


QUERY = "{ things { name price colour count shout } }"


def _run(execution_context_class=None):
    schema = strawberry.Schema(query=Query, execution_context_class=execution_context_class)
    result = schema.execute_sync(QUERY)
    return result.data, sorted((e.message, tuple(e.path)) for e in result.errors or [])


def test_inline_path_matches_the_stock_executor():
    fast = _run(FastExecutionContext)
    assert fast == _run()
    data, errors = fast
    assert data["things"][0] == {"name": "a", "price": "1.50", "colour": "RED", "count": 3, "shout": "A"}
    assert data["things"][1] is None  # a null non-null field nulls its parent, as the spec says
    assert data["things"][2] is None
    assert [message for message, _ in errors] == [
        "Cannot return null for non-nullable field Thing.name.",
        "Int cannot represent non-integer value: 'x'"]
