"""Arguments of every kind, from literals and from variables, reach a resolver on the compiled
executor as strawberry's conversion makes them, and without a resolve info unless an input type
that builds itself (`from_input`) could read it."""
from __future__ import annotations

import json
from enum import Enum

import pytest
import strawberry
from strawberry.extensions import ParserCache
from strawberry.relay import GlobalID

from api.core.compiled import CompiledExecutionContext
from api.core.executor import FastExecutionContext


@strawberry.enum(description="A size.")
class Size(Enum):
    SMALL = "small"
    LARGE = "large"


@strawberry.input(description="A range.")
class Range:
    low: int = strawberry.field(description="From.")
    high: int | None = strawberry.field(default=None, description="To.")


@strawberry.input(description="A filter.")
class Filter:
    sizes: list[Size] | None = strawberry.field(default=None, description="Sizes.")
    range: Range | None = strawberry.field(default=None, description="A range.")
    names: list[str] = strawberry.field(default_factory=list, description="Names.")


@strawberry.input(description="An input that builds its own value.")
class Custom:
    text: str = strawberry.field(description="Text.")


def _custom(cls, value, context):
    return f"custom:{value['text']}:{type(context.info).__name__}"


Custom.__strawberry_definition__.from_input = _custom


@strawberry.type(description="Root.")
class Query:
    @strawberry.field(description="The filter as the resolver gets it.")
    def filtered(self, filter: Filter | None = None, first: int | None = None) -> str:
        return repr((filter, first))

    @strawberry.field(description="Filters as the resolver gets them.")
    def many(self, filters: list[Filter]) -> str:
        return repr(filters)

    @strawberry.field(description="The ID as the resolver gets it.")
    def identified(self, id: GlobalID) -> str:
        return repr(id)

    @strawberry.field(description="Maybe a number.")
    def maybe(self, value: strawberry.Maybe[int | None] = None) -> str:
        return repr(value)

    @strawberry.field(description="The custom input as the resolver gets it.")
    def custom(self, value: Custom) -> str:
        return repr(value)


COMPILED = strawberry.Schema(query=Query, execution_context_class=CompiledExecutionContext,
                             extensions=[lambda: ParserCache(maxsize=16)])
STOCK = strawberry.Schema(query=Query, execution_context_class=FastExecutionContext)
ID = str(GlobalID("Product", "7"))

CASES = [
    ('query($f: Filter) { filtered(filter: $f, first: 2) }',
     {"f": {"sizes": ["SMALL", "LARGE"], "range": {"low": 1}, "names": ["a"]}}, []),
    ('query($f: Filter) { filtered(filter: $f) }', {"f": None}, []),
    ('query { filtered(filter: {range: {low: 1, high: 3}}) }', {}, []),
    ('query($f: [Filter!]!) { many(filters: $f) }', {"f": [{"names": ["x"]}, {"sizes": ["SMALL"]}]}, []),
    ('query($id: ID!) { identified(id: $id) }', {"id": ID}, []),
    ('query($id: ID!) { identified(id: $id) }', {"id": "not a global id"}, None),
    ('query($v: Int) { a: maybe(value: $v) b: maybe }', {"v": None}, []),
    ('query($v: Int) { maybe(value: $v) }', {"v": 4}, []),
    ('query($v: Custom!) { custom(value: $v) }', {"v": {"text": "hi"}}, ["custom"]),
]


@pytest.mark.parametrize(("document", "variables", "infos"), CASES)
async def test_arguments_reach_resolvers_as_strawberry_converts_them(monkeypatch, document, variables, infos):
    built: list = []
    build = CompiledExecutionContext.build_resolve_info

    def counted(self, field_def, nodes, parent_type, path):
        built.append(path.key)
        return build(self, field_def, nodes, parent_type, path)

    monkeypatch.setattr(CompiledExecutionContext, "build_resolve_info", counted)
    compiled = await COMPILED.execute(document, variable_values=variables)
    plan_built = list(built)
    stock = await STOCK.execute(document, variable_values=variables)
    assert json.dumps(compiled.data) == json.dumps(stock.data)
    assert [(e.message, e.path) for e in compiled.errors or ()] == [(e.message, e.path) for e in stock.errors or ()]
    if infos is not None:  # (an error's run on the stock executor builds its own)
        assert not compiled.errors
        assert plan_built == infos


async def test_arguments_from_variables_are_coerced_once_per_value_and_never_mixed_up(monkeypatch):
    from api.core.compiled import arguments

    coerced: list = []
    coerce = arguments.get_argument_values

    def counted(field_def, node, *rest):
        coerced.append(node.name.value)
        return coerce(field_def, node, *rest)

    monkeypatch.setattr(arguments, "get_argument_values", counted)
    document = 'query($v: Int, $f: Filter) { maybe(value: $v) filtered(first: $v, filter: $f) }'
    runs = [{"v": 1}, {"v": 2}, {"v": 1}, {"v": None}, {}, {"v": 1, "f": {"names": ["a"]}},
            {"v": 1, "f": {"names": ["b"]}}, {"v": 2}]
    for variables in runs:
        compiled = await COMPILED.execute(document, variable_values=variables)
        stock = await STOCK.execute(document, variable_values=variables)
        assert not compiled.errors and compiled.data == stock.data
    # Kept: v=1, v=2, null, missing (each once per field); an input object is coerced every time.
    assert coerced.count("maybe") == 4
    assert coerced.count("filtered") == 4 + 2
