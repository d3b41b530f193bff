"""The compiled executor gives the stock executor's results on a small schema that has every
shape it plans (aliases, fragments, `@skip`/`@include` from variables, lists, interfaces,
async resolvers, arguments) and the errors that send an operation back to the stock executor
(a raising resolver, a null for a non-null field, a value a scalar refuses)."""
import asyncio
import json

import pytest
import strawberry
from strawberry.extensions import ParserCache

from api.core.compiled import CompiledExecutionContext
from api.core.compiled.metrics import EXECUTIONS
from api.core.executor import FastExecutionContext


@strawberry.interface(description="Something with a name.")
class Named:
    name: str = strawberry.field(description="The name.")


@strawberry.type(description="A book.")
class Book(Named):
    pages: int = strawberry.field(description="Pages.")

    @strawberry.field(description="Tags, after a pause.")
    async def tags(self, upper: bool = False) -> list[str]:
        await asyncio.sleep(0)
        return [t.upper() if upper else t for t in ("a", "b")]


@strawberry.type(description="A film.")
class Film(Named):
    minutes: int | None = strawberry.field(description="Running time.")


@strawberry.type(description="A shelf.")
class Shelf:
    label: str = strawberry.field(description="The label.")

    @strawberry.field(description="What stands on it, after a pause.")
    async def items(self, first: int = 10) -> list[Named]:
        await asyncio.sleep(0)
        return [Book(name="Emma", pages=400), Film(name="Heat", minutes=None),
                Book(name="Dune", pages=600)][:first]

    @strawberry.field(description="A book whose name is null: a non-null field without a value.")
    def broken(self) -> Book | None:
        return Book(name=None, pages=1)  # type: ignore[arg-type]

    @strawberry.field(description="Raises.")
    async def failing(self) -> int:
        raise ValueError("shelf failed")

    @strawberry.field(description="A value Int refuses.")
    def refused(self) -> int | None:
        return "many"  # type: ignore[return-value]

    @strawberry.field(description="Finishes without waiting, as a field whose loader already holds its value.")
    async def ready(self) -> str:
        return "ready"

    @strawberry.field(description="Waits on the request's shared future, as fields on one loader key do.")
    async def shared(self, info: strawberry.Info) -> int:
        return await info.context["shared"]


@strawberry.type(description="Root.")
class Query:
    @strawberry.field(description="Shelves.")
    def shelves(self, count: int = 2) -> list[Shelf]:
        return [Shelf(label=f"s{n}") for n in range(count)]

    @strawberry.field(description="One shelf, or null.")
    def shelf(self) -> Shelf | None:
        return Shelf(label="one")

    @strawberry.field(description="A statement on the request's one connection.")
    async def held(self, info: strawberry.Info) -> int:
        return await info.context["connection"].query()



SCHEMA = dict(query=Query, types=[Book, Film])
# Plans are kept per document object: the parser cache hands the same one to the same text.
COMPILED = strawberry.Schema(**SCHEMA, execution_context_class=CompiledExecutionContext,
                             extensions=[lambda: ParserCache(maxsize=16)])
STOCK = strawberry.Schema(**SCHEMA, execution_context_class=FastExecutionContext)

DOCUMENTS = [
    ("{ shelves { label items { __typename name ... on Book { pages tags } ... on Film { minutes } } } }", {}),
    ("""query($skip: Boolean!, $upper: Boolean!) {
          a: shelves(count: 1) { ...S  label @skip(if: $skip) }
          b: shelves(count: 3) { l: label items(first: 2) { ... on Book { t: tags(upper: $upper) n: name } } }
        }
        fragment S on Shelf { label items { name } }""", {"skip": True, "upper": True}),
    ("""query($skip: Boolean!, $upper: Boolean!) {
          a: shelves(count: 1) { ...S  label @skip(if: $skip) }
          b: shelves(count: 3) { l: label items(first: 2) { ... on Book { t: tags(upper: $upper) n: name } } }
        }
        fragment S on Shelf { label items { name } }""", {"skip": False, "upper": False}),
    ("{ shelf { label @include(if: false) items { name } } }", {}),
    # Errors: the stock executor reports them, nulls what the spec nulls, in its order.
    ("{ shelves { label broken { name pages } } }", {}),
    ("{ shelf { label failing } }", {}),
    ("{ shelves { label } shelf { refused failing } }", {}),
]


def _served(path: str) -> float:
    return sum(sample.value for metric in EXECUTIONS.collect() for sample in metric.samples
               if sample.name.endswith("_total") and sample.labels["path"] == path)


def _json(result) -> str:
    return json.dumps({"data": result.data, "errors": [e.formatted for e in result.errors or []]})


@pytest.mark.parametrize(("document", "variables"), DOCUMENTS)
async def test_the_compiled_executor_answers_as_the_stock_one(document, variables):
    stock = await STOCK.execute(document, variable_values=variables)
    before = _served("compiled")
    compiled = await COMPILED.execute(document, variable_values=variables)
    assert _json(compiled) == _json(stock)
    # Without errors the plan served; with them the stock executor did, after the plan's run.
    assert _served("compiled") == before + (0 if stock.errors else 1)


async def test_fields_that_finish_at_once_or_wait_on_one_future_are_served_compiled():
    document = "{ shelves(count: 3) { ready a: shared b: shared } shelf { ready shared } }"

    def context() -> dict:
        shared = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_soon(shared.set_result, 7)
        return {"shared": shared}

    stock = await STOCK.execute(document, context_value=context())
    before = _served("compiled")
    compiled = await COMPILED.execute(document, context_value=context())
    assert not stock.errors and _json(compiled) == _json(stock)
    assert compiled.data["shelf"] == {"ready": "ready", "shared": 7}
    assert _served("compiled") == before + 1


class Connection:
    """As asyncpg's: one statement at a time, busy until its reply arrives, whatever becomes of
    the coroutine that sent it."""

    def __init__(self) -> None:
        self.busy = False

    def query(self) -> asyncio.Future:
        if self.busy:
            raise RuntimeError("another operation is in progress")
        self.busy = True
        reply = asyncio.get_running_loop().create_future()

        def arrive() -> None:
            self.busy = False
            reply.set_result(1)

        asyncio.get_running_loop().call_later(0.01, arrive)
        return reply


async def test_a_started_resolver_finishes_before_the_stock_run_repeats_the_operation():
    # `held` sends its statement where the plan calls it; `failing` then sends the operation to
    # the stock executor, whose own `held` must find the connection free.
    document = "{ held shelf { failing } }"
    stock = await STOCK.execute(document, context_value={"connection": Connection()})
    compiled = await COMPILED.execute(document, context_value={"connection": Connection()})
    assert _json(compiled) == _json(stock)
    assert compiled.data == {"held": 1, "shelf": None}
    assert [e.message for e in compiled.errors] == ["shelf failed"]


async def test_errors_keep_their_paths_and_null_the_nearest_nullable_parent():
    result = await COMPILED.execute("{ shelves { label broken { name } } shelf { failing } }")
    assert result.data == {"shelves": [{"label": "s0", "broken": None}, {"label": "s1", "broken": None}],
                           "shelf": None}
    assert [(e.message, e.path) for e in result.errors] == [
        ("Cannot return null for non-nullable field Book.name.", ["shelves", 0, "broken", "name"]),
        ("Cannot return null for non-nullable field Book.name.", ["shelves", 1, "broken", "name"]),
        ("shelf failed", ["shelf", "failing"])]


async def test_a_plan_is_made_once_per_document_and_skip_values():
    from api.core.compiled import cache

    document = "query($s: Boolean!) { shelves { label @skip(if: $s) } }"
    for skip in (True, False, True, False):
        result = await COMPILED.execute(document, variable_values={"s": skip})
        assert result.data == {"shelves": [{}, {}] if skip else [{"label": "s0"}, {"label": "s1"}]}
    entries = [entry for entry in cache._operations.values() if entry.condition_variables == ("s",)]
    assert len(entries) == 1 and len(entries[0].variants) == 2


async def test_mutations_and_introspection_take_the_stock_executor():
    before = _served("stock")
    result = await COMPILED.execute("{ __schema { queryType { name } } }")
    assert result.data == {"__schema": {"queryType": {"name": "Query"}}}
    assert _served("stock") == before + 1
