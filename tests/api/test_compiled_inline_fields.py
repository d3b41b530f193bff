"""Fields whose resolver and completion need no resolve info are called and completed in the
generated builder's own code; the answers, errors and null propagation are the stock executor's."""
import asyncio
import json
from enum import Enum
from typing import Annotated, Optional

import pytest
import strawberry
from strawberry.extensions import ParserCache

from api.core.compiled import CompiledExecutionContext
from api.core.compiled.direct import delegated_call, reads_parameter
from api.core.executor import FastExecutionContext


@strawberry.type(description="A price.")
class Price:
    amount: int = strawberry.field(description="Minor units.")


@strawberry.type(description="A picture.")
class Picture:
    url: str = strawberry.field(description="Where it is.")

    @strawberry.field(description="Its size, after a wait.")
    async def size(self) -> int:
        await asyncio.sleep(0)
        return len(self.url)

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, Picture)


def scaled_by(context, name, by):
    """What `Thing.delegated` hands its work to (looked up in this module on each call)."""
    return context["n"] * by + len(name)


@strawberry.type(description="A thing with fields of every inlined kind.")
class Thing:
    name: str = strawberry.field(description="Its name.")
    price: Price | None = strawberry.field(description="A plain attribute holding an object.")
    tag: str | None = strawberry.field(description="A plain attribute holding a leaf.")

    @strawberry.field(description="Reads the object alone.")
    def pictures(self) -> list[Picture]:
        return [Picture(url=f"{self.name}.jpg")]

    @strawberry.field(description="Objects and nulls; for some things a null or another type where none may be.")
    def gallery(self) -> list[Picture]:
        return {"a": [Picture(url="1"), Picture(url="22")], "b": [Picture(url="1"), None],
                "c": [Price(amount=1)]}[self.name]

    @strawberry.field(description="Objects and nulls where nulls are allowed.")
    def album(self) -> list[Picture | None] | None:
        return {"a": [None, Picture(url="333")], "b": None, "c": []}[self.name]

    @strawberry.field(description="Reads the context.")
    def scaled(self, info: strawberry.Info, by: int = 2) -> int:
        return info.context["n"] * by

    @strawberry.field(description="Hands its parameters to a function of this module.")
    def delegated(self, info: strawberry.Info, by: int = 2) -> int:
        return scaled_by(info.context, self.name, by)

    @strawberry.field(description="A coroutine that finishes at once, as a loader's cached value does.")
    async def soon(self, info: strawberry.Info) -> Price:
        return Price(amount=info.context["n"])

    @strawberry.field(description="A coroutine that waits.")
    async def later(self) -> Picture | None:
        await asyncio.sleep(0)
        return None if self.name == "b" else Picture(url="later")

    @strawberry.field(description="Null for some things although it may not be.")
    def required(self) -> Price:
        return None if self.name == "b" else Price(amount=1)

    @strawberry.field(description="A value the Int scalar refuses for some things.")
    def count(self) -> int | None:
        return 2**40 if self.name == "c" else 3

    @strawberry.field(description="A list of leaves; a null among them for some things.")
    def labels(self) -> list[str]:
        return ["x", None] if self.name == "c" else [self.name, "y"]

    @strawberry.field(description="A nullable list of nullable Ints; one the scalar refuses for some things.")
    def scores(self) -> list[int | None] | None:
        return {"a": [1, None], "b": None, "c": [2**40]}[self.name]

    @strawberry.field(description="Fails for some things.")
    def broken(self) -> str | None:
        if self.name == "c":
            raise ValueError("no such thing")
        return "fine"


THINGS = {"a": Thing(name="a", price=Price(amount=5), tag=None),
          "b": Thing(name="b", price=None, tag="t"),
          "c": Thing(name="c", price=Price(amount=7), tag="u")}


@strawberry.enum(description="A shade, named lazily by the field that takes it.")
class Shade(Enum):
    LIGHT = "light"
    DARK = "dark"


@strawberry.type(description="Root.")
class Query:
    @strawberry.field(description="Things by name.")
    def things(self, names: list[str]) -> list[Thing | None]:
        return [THINGS[name] for name in names]

    @strawberry.field(description="The shade given, as strawberry hands it over.")
    def shaded(self, shade: Annotated[Optional[Annotated["Shade", strawberry.lazy(__name__)]],
                                      strawberry.argument(description="A shade.")] = None,
               first: int | None = None) -> str:
        return f"{shade!r} {first!r}"


COMPILED = strawberry.Schema(query=Query, execution_context_class=CompiledExecutionContext,
                             extensions=[lambda: ParserCache(maxsize=8)])
STOCK = strawberry.Schema(query=Query, execution_context_class=FastExecutionContext)
DOCUMENT = """query Things($names: [String!]!) {
  things(names: $names) {
    name tag price { amount } pictures { url } scaled triple: scaled(by: 3) soon { amount } later { url }
    delegated fivefold: delegated(by: 5)
    %s
  }
}"""


def answer(result) -> str:
    return json.dumps({"data": result.data, "errors": [
        {"message": e.message, "path": e.path} for e in result.errors or ()]})


@pytest.mark.parametrize(("names", "extra"), [
    (["a"], ""),
    (["a", "b"], ""),
    (["b"], "required { amount }"),          # a null non-null object: the item becomes null
    (["a", "c"], "count"),                   # a refused Int: an error at its path
    (["a", "b", "c"], "required { amount } count"),
    (["a", "c"], "broken"),                  # a resolver's exception: an error at its path
    (["a", "b"], "labels scores"),           # lists of leaves, with nulls where allowed
    (["a", "c"], "labels"),                  # a null item where none is allowed
    (["b", "c"], "scores"),                  # a refused item
    (["a", "b", "c"], "album { url size }"),  # lists of objects, nulls allowed, fields awaited
    (["a"], "gallery { url size }"),
    (["a", "b"], "gallery { url }"),         # a null item where none is allowed
    (["a", "c"], "gallery { url }"),         # an item of another type
])
async def test_inlined_fields_answer_as_the_stock_executor(monkeypatch, names, extra):
    built: list = []
    build = CompiledExecutionContext.build_resolve_info

    def counted(self, field_def, nodes, parent_type, path):
        built.append(path.as_list())
        return build(self, field_def, nodes, parent_type, path)

    monkeypatch.setattr(CompiledExecutionContext, "build_resolve_info", counted)
    document = DOCUMENT % extra
    compiled = await COMPILED.execute(document, variable_values={"names": names}, context_value={"n": 4})
    plan_built = list(built)
    stock = await STOCK.execute(document, variable_values={"names": names}, context_value={"n": 4})
    assert answer(compiled) == answer(stock)
    if not stock.errors:
        # No resolve info for any field: not for the items' fields, nor for the root, whose list
        # argument strawberry converts without one.
        assert plan_built == []
        assert compiled.data["things"][0]["triple"] == 12


def picture_reads_info(obj, info):
    return info.context is not None


@pytest.mark.parametrize(("function", "name", "reads"), [
    (Picture.is_type_of, "info", False),
    (picture_reads_info, "info", True),
    (picture_reads_info, "obj", False),
    (len, "info", True),                     # not Python: it cannot tell
])
def test_a_parameter_read_is_told_from_the_bytecode(function, name, reads):
    assert reads_parameter(function, name) is reads


async def test_the_fields_without_info_are_written_out(monkeypatch):
    from api.core.compiled import builder

    written: list[str] = []
    inline_field = builder._inline_field

    def recorded(inline, index, key, at, constants, *source):
        written.append(key.strip("'"))
        return inline_field(inline, index, key, at, constants, *source)

    monkeypatch.setattr(builder, "_inline_field", recorded)
    document = DOCUMENT % "required { amount } # planned anew"
    result = await COMPILED.execute(document, variable_values={"names": ["a"]}, context_value={"n": 4})
    assert not result.errors
    # `things` takes a variable (its arguments are read per run) and the leaves are read in place.
    assert sorted(written) == ["delegated", "fivefold", "later", "pictures", "price", "required", "scaled", "soon",
                               "triple"]


def hands_over(self, info, option):
    return scaled_by(info.context.loaders, self.id, option)


def hands_over_a_global_and_a_constant(self, info):
    return scaled_by(info.context, Shade, 3)


def two_statements(self, info):
    loaders = info.context.loaders
    return scaled_by(loaders, self.id, 1)


def by_keyword(self, info):
    return scaled_by(info.context, self.id, by=1)


def a_builtin(self, info):
    return len(self.id)


def a_default(self, info, option=1):
    return scaled_by(info.context, self.id, option)


async def a_coroutine(self, info):
    return scaled_by(info.context, self.id, 1)


@pytest.mark.parametrize(("resolver", "passed", "expression"), [
    (hands_over, ["source", "run.context_info", "argument_4_0"],
     "module_4['scaled_by']((run.context_info).context.loaders, (source).id, (argument_4_0))"),
    (hands_over, ["source", "run.context_info", "option=argument_4_0"],
     "module_4['scaled_by']((run.context_info).context.loaders, (source).id, (argument_4_0))"),
    (hands_over_a_global_and_a_constant, ["source", "run.context_info"],
     "module_4['scaled_by']((run.context_info).context, module_4['Shade'], constant_4_2)"),
    (two_statements, ["source", "run.context_info"], None),
    (by_keyword, ["source", "run.context_info"], None),
    (a_builtin, ["source", "run.context_info"], None),
    (a_default, ["source", "run.context_info"], None),  # a parameter left to its default
    (a_coroutine, ["source", "run.context_info"], None),  # awaited for its answer
])
def test_a_resolver_that_hands_its_work_over_is_called_through(resolver, passed, expression):
    constants: dict = {}
    assert delegated_call(resolver, passed, "4", constants) == expression
    if expression is not None:
        assert constants["module_4"] is globals()
    else:
        assert constants == {}  # nothing bound for a resolver that is called


async def test_a_delegated_function_is_looked_up_when_called(monkeypatch):
    document = DOCUMENT % "# looked up"
    first = await COMPILED.execute(document, variable_values={"names": ["a"]}, context_value={"n": 4})
    monkeypatch.setitem(globals(), "scaled_by", lambda context, name, by: -by)
    second = await COMPILED.execute(document, variable_values={"names": ["a"]}, context_value={"n": 4})
    assert (first.data["things"][0]["delegated"], first.data["things"][0]["fivefold"]) == (9, 21)
    assert (second.data["things"][0]["delegated"], second.data["things"][0]["fivefold"]) == (-2, -5)


@pytest.mark.parametrize("variables", [{"shade": "DARK", "first": 2}, {"shade": None}, {}])
async def test_a_lazily_named_enum_argument_is_handed_over_without_strawberrys_conversion(monkeypatch, variables):
    from api.core.compiled import direct

    converted: list = []
    convert = direct.convert_arguments
    monkeypatch.setattr(direct, "convert_arguments", lambda *a, **k: converted.append(a) or convert(*a, **k))
    document = "query Shaded($shade: Shade, $first: Int) { shaded(shade: $shade, first: $first) }"
    compiled = await COMPILED.execute(document, variable_values=variables, context_value={"n": 1})
    stock = await STOCK.execute(document, variable_values=variables, context_value={"n": 1})
    assert answer(compiled) == answer(stock)
    assert converted == []
