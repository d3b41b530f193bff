"""The compiled executor builds a resolver's info only when the resolver reads more of it than
`info.context`, as its bytecode tells; whatever it reads, the answer is the stock executor's."""
import json

import pytest
import strawberry
from strawberry.extensions import ParserCache

from api.core.compiled import CompiledExecutionContext
from api.core.compiled.direct import CONTEXT, FULL, NONE, _info_use
from api.core.executor import FastExecutionContext


def reads_context(self, info):
    return info.context["n"]


def reads_context_twice(self, info):
    return info.context["n"] + len(info.context)


def passes_it_on(self, info):
    return reads_context(self, info)


def reads_the_path(self, info):
    return info.path.key


def keeps_it(self, info):
    kept = info
    return kept.context["n"]


def captures_it(self, info):
    return (lambda: info.context["n"])()


def takes_none(self):
    return 1


@pytest.mark.parametrize(("resolver", "use"), [
    (reads_context, CONTEXT), (reads_context_twice, CONTEXT), (passes_it_on, FULL), (reads_the_path, FULL),
    (keeps_it, FULL), (captures_it, FULL),
])
def test_the_use_is_read_from_the_bytecode(resolver, use):
    assert _info_use(resolver, "info") == use


def test_a_resolver_without_info_uses_none():
    assert _info_use(takes_none, None) == NONE


@strawberry.type(description="An item of a list.")
class Item:
    name: str = strawberry.field(description="Its name.")

    @strawberry.field(description="Where the field is.")
    def where(self, info: strawberry.Info) -> str:
        return str(info.path.as_list())


@strawberry.type(description="Root.")
class Query:
    @strawberry.field(description="Items whose fields read the context alone.")
    def plain(self) -> list[Item]:
        return [Item(name="x"), Item(name="y")]

    @strawberry.field(description="Items with a field that reads its path.")
    def placed(self) -> list[Item]:
        return [Item(name="x"), Item(name="y")]

    @strawberry.field(description="The context's number.")
    def number(self, info: strawberry.Info) -> int:
        return info.context["n"]

    @strawberry.field(description="Where the field is.")
    def where(self, info: strawberry.Info) -> str:
        return str(info.path.as_list())


COMPILED = strawberry.Schema(query=Query, execution_context_class=CompiledExecutionContext,
                             extensions=[lambda: ParserCache(maxsize=4)])
STOCK = strawberry.Schema(query=Query, execution_context_class=FastExecutionContext)


async def test_a_context_reader_gets_the_context_and_others_their_info(monkeypatch):
    built: list[str] = []
    build = CompiledExecutionContext.build_resolve_info

    def counted(self, field_def, nodes, parent_type, path):
        built.append(path.key)
        return build(self, field_def, nodes, parent_type, path)

    monkeypatch.setattr(CompiledExecutionContext, "build_resolve_info", counted)
    document = "{ number a: where b: number }"
    compiled = await COMPILED.execute(document, context_value={"n": 7})
    assert built == ["a"]  # none for the two that read the context alone
    stock = await STOCK.execute(document, context_value={"n": 7})
    assert json.dumps(compiled.data) == json.dumps(stock.data) == json.dumps({"number": 7, "a": "['a']", "b": 7})


async def test_paths_are_made_where_a_resolve_info_reads_them():
    document = "{ plain { name } placed { name where } more: placed { where } }"
    compiled = await COMPILED.execute(document, context_value={"n": 1})
    stock = await STOCK.execute(document, context_value={"n": 1})
    assert not compiled.errors
    assert json.dumps(compiled.data) == json.dumps(stock.data)
    assert compiled.data["more"] == [{"where": "['more', 0, 'where']"}, {"where": "['more', 1, 'where']"}]
