"""A generated field builder answers as graphql-core's completion would for the same plan entries:
the results in the order of the entries, a `Bail` where a non-null leaf is null, the scalar's own
error where it refuses a value, and awaitable fields settled together."""
import asyncio
from enum import Enum

import pytest
from graphql import GraphQLError
from graphql.type.scalars import serialize_boolean, serialize_int, serialize_string

from api.core.compiled.builder import build_fields
from api.core.compiled.errors import Bail
from api.core.compiled.run import FIELD, LEAF, TYPENAME


class Run:
    is_awaitable = staticmethod(asyncio.iscoroutine)


class Label(str, Enum):
    NEW = "new"


class Source:
    def __init__(self, **values) -> None:
        self.__dict__.update(values)


def leaf(name, serialize, nullable=True):
    return (LEAF, name, lambda source: getattr(source, name), serialize, nullable)


async def later(value):
    await asyncio.sleep(0)
    return value


ENTRIES = (
    leaf("title", serialize_string, nullable=False),
    leaf("subtitle", serialize_string),
    leaf("count", serialize_int),
    leaf("active", serialize_boolean),
    (TYPENAME, "__typename", "Book", None, None),
    (FIELD, "now", lambda run, source, path: path.as_list(), None, None),
    (FIELD, "soon", lambda run, source, path: later(source.title), None, None),
    (FIELD, "sooner", lambda run, source, path: later(1), None, None),
)


async def produce(source):
    """The builder's answer for `source`: a value, or the type of the exception raised."""
    try:
        value = build_fields(ENTRIES, "Book")(Run(), source, None)
        return await value if asyncio.iscoroutine(value) else value
    except Exception as error:  # noqa: BLE001  (compared, not raised)
        return type(error)


def fields(title, subtitle, count, active, soon) -> dict:
    return {"title": title, "subtitle": subtitle, "count": count, "active": active, "__typename": "Book",
            "now": ["now"], "soon": soon, "sooner": 1}


@pytest.mark.parametrize(("source", "expected"), [
    (Source(title="Dune", subtitle=None, count=3, active=True), fields("Dune", None, 3, True, "Dune")),
    # a str subclass: serialized (to itself), as any value that is not exactly a str
    (Source(title=Label.NEW, subtitle="x", count=None, active=False), fields(Label.NEW, "x", None, False, Label.NEW)),
    (Source(title=None, subtitle="x", count=1, active=True), Bail),             # a null non-null leaf
    (Source(title="Dune", subtitle=None, count=2**40, active=True), GraphQLError),  # an Int out of range
    (Source(title=5, subtitle=None, count=1, active=1), fields("5", None, 1, True, 5)),  # values the scalars convert
    (Source(title="Dune", subtitle=None, count=True, active=True), fields("Dune", None, 1, True, "Dune")),  # a bool Int
    (Source(title="Dune", subtitle=None, count=2**31 - 1, active=True),
     fields("Dune", None, 2**31 - 1, True, "Dune")),                        # the largest Int
    (Source(title="Dune", subtitle=None, count=-2**31 - 1, active=True), GraphQLError),  # just out of range
])
async def test_the_builder_answers_as_graphql_core_completes(source, expected):
    built = await produce(source)
    assert built == expected
    if isinstance(built, dict):
        assert list(built) == ["title", "subtitle", "count", "active", "__typename", "now", "soon", "sooner"]
        assert type(built["active"]) is bool and type(built["title"]) is type(expected["title"])


async def test_a_failure_raises_bail_and_a_type_with_nothing_selected_is_empty():
    with pytest.raises(Bail):
        build_fields(ENTRIES, "Book")(Run(), Source(title=None, subtitle="x", count=1, active=True), None)
    assert build_fields((), "Film")(Run(), Source(), None) == {}


def test_classes_of_values_that_are_not_awaitable_are_remembered_and_awaitable_ones_never():
    from strawberry.execution import optimized_is_awaitable

    from api.core.compiled.run import SYNC, awaitable

    class Checked:
        is_awaitable = staticmethod(optimized_is_awaitable)

    class Plain:
        pass

    class Deferred:
        def __await__(self):
            yield

    def generator():
        yield

    assert not awaitable(Checked, Plain()) and Plain in SYNC
    assert awaitable(Checked, Deferred()) and Deferred not in SYNC
    assert not awaitable(Checked, generator()) and type(generator()) not in SYNC
    coroutine = asyncio.sleep(0)
    assert awaitable(Checked, coroutine) and type(coroutine) not in SYNC
    coroutine.close()


def test_enum_values_are_named_in_place_as_the_enum_type_names_them():
    from graphql import GraphQLEnumType, GraphQLEnumValue, GraphQLError

    from api.core.executor import output_serializer

    class Colour(Enum):
        RED = 1
        GREEN = 2

    enum = output_serializer(GraphQLEnumType("Colour", {c.name: GraphQLEnumValue(c) for c in Colour}))
    produce = build_fields(((LEAF, "colour", lambda source: source.colour, enum, False),), "Paint")
    for _ in range(2):  # the first time named by graphql-core, then from the names seen
        assert produce(Run(), Source(colour=Colour.RED), None) == {"colour": "RED"}
        assert produce(Run(), Source(colour=Colour.GREEN), None) == {"colour": "GREEN"}
        for refused in (1, "RED", [Colour.RED]):  # equal to nothing it names, or unhashable
            with pytest.raises(GraphQLError):
                produce(Run(), Source(colour=refused), None)


def test_a_plain_attribute_is_read_in_place_as_its_getter_reads_it():
    from api.core.executor import attribute_getter, attribute_read

    title, klass = attribute_getter("title"), attribute_getter("class")
    assert attribute_read(title) == "title" and attribute_read(lambda source: source.title) is None

    class Broken:
        @property
        def title(self):
            raise LookupError("gone")

    entries = ((LEAF, "title", title, serialize_string, False), (LEAF, "kind", klass, serialize_string, True))
    produce = build_fields(entries, "Book")
    # `class` cannot be written as an attribute: read by its getter, with the same answer.
    assert produce(Run(), Source(title="Dune", **{"class": "novel"}), None) == {"title": "Dune", "kind": "novel"}
    with pytest.raises(AttributeError):  # as `attrgetter` raises it: the stock run reports it
        produce(Run(), Source(**{"class": "novel"}), None)
    with pytest.raises(LookupError):
        produce(Run(), Broken(), None)


def test_a_plain_text_value_of_an_enum_is_named_as_the_enum_type_names_it():
    from graphql import GraphQLEnumType, GraphQLEnumValue

    from api.core.executor import output_serializer

    enum = output_serializer(GraphQLEnumType("Kind", {"EBOOK": GraphQLEnumValue("ebook"),
                                                      "VIDEO": GraphQLEnumValue("video")}))
    produce = build_fields(((LEAF, "kind", lambda source: source.kind, enum, False),), "Licence")
    for _ in range(2):  # named by graphql-core, then by the text itself
        assert produce(Run(), Source(kind="ebook"), None) == {"kind": "EBOOK"}
        assert produce(Run(), Source(kind="video"), None) == {"kind": "VIDEO"}
    with pytest.raises(GraphQLError):
        produce(Run(), Source(kind="EBOOK"), None)  # a name is not a value


def test_a_list_of_text_is_passed_on_and_anything_else_completed_as_before():
    from api.core.compiled.plan import _leaf_list
    from api.core.compiled.run import Inline

    class Field:  # a field the builder resolves and completes in place
        needs_path = False
        inline = Inline(lambda source: source.authors, True, (), {}, None,
                        _leaf_list(serialize_string, nullable_items=False, nullable=True))

    produce = build_fields(((FIELD, "authors", Field, None, None),), "Book")
    authors = ["Ursula K. Le Guin", "Ted Chiang"]
    assert produce(Run(), Source(authors=authors), None)["authors"] is authors
    assert produce(Run(), Source(authors=("A", "B")), None) == {"authors": ["A", "B"]}
    assert produce(Run(), Source(authors=["A", 5]), None) == {"authors": ["A", "5"]}
    assert produce(Run(), Source(authors=None), None) == {"authors": None}
    with pytest.raises(Bail):
        produce(Run(), Source(authors=["A", None]), None)


def test_decimals_and_global_ids_are_written_in_place_as_their_scalar_and_resolver_write_them():
    from decimal import Decimal

    from graphql.type.scalars import serialize_id

    from api.core import ids
    from api.core.node import node_id
    from api.core.scalars import serialize_decimal

    resolve = node_id("Offer").base_resolver.wrapped_func
    entries = ((LEAF, "id", resolve, serialize_id, False),
               (LEAF, "amount", lambda source: source.amount, serialize_decimal, True))
    produce = build_fields(entries, "Offer")
    for amount in (Decimal("12.99"), Decimal("1E+2"), Decimal("0.000001"), Decimal("-0"), 7, 2.5):
        assert produce(Run(), Source(id=11, amount=amount), None) == {
            "id": resolve(Source(id=11)), "amount": serialize_decimal(amount)}
    assert resolve(Source(id=11)) == ids.encode("Offer", 11)


def test_dates_times_and_uuids_are_written_as_their_scalars_write_them():
    import uuid
    from datetime import UTC, date, datetime, timedelta, timezone

    from api.core.scalars import serialize_datetime

    entries = ((LEAF, "at", lambda source: source.at, serialize_datetime, False),
               (LEAF, "on", lambda source: source.on, date.isoformat, True),
               (LEAF, "key", lambda source: source.key, str, True))
    produce = build_fields(entries, "Event")
    at = datetime(2026, 12, 6, 7, 30, 1, 123456, tzinfo=timezone(timedelta(hours=2)))
    key = uuid.uuid4()
    assert produce(Run(), Source(at=at, on=date(2026, 12, 6), key=key), None) == {
        "at": "2026-12-06T05:30:01.123Z", "on": "2026-12-06", "key": str(key)}
    assert produce(Run(), Source(at=at.astimezone(UTC), on=None, key=None), None) == {
        "at": "2026-12-06T05:30:01.123Z", "on": None, "key": None}
    with pytest.raises(Bail):  # a null where the type allows none
        produce(Run(), Source(at=None, on=None, key=None), None)
    with pytest.raises(AttributeError):  # not a date-time: the scalar's own failure, for the stock run
        produce(Run(), Source(at="today", on=None, key=None), None)


def test_every_type_check_of_the_api_answers_by_class():
    """A list's items of a class the type's check accepted skip it later (`complete_objects`):
    sound only while each of the API's `is_type_of` is an `isinstance` test of its object against
    classes, which this holds them to."""
    import ast
    import inspect
    import textwrap

    from api.core.compiled.run import by_class
    from api.schema import build_schema
    from domain.shared.config import Settings

    schema = build_schema(Settings(env="development"))._schema
    checked = 0
    for graphql_type in schema.type_map.values():
        is_type_of = getattr(graphql_type, "is_type_of", None)
        if is_type_of is None or not by_class(is_type_of):
            continue
        function = ast.parse(textwrap.dedent(inspect.getsource(is_type_of))).body[0]
        value = function.args.args[1].arg  # (cls, obj, info)
        body = function.body[1:] if isinstance(function.body[0], ast.Expr) else function.body  # a docstring
        assert len(body) == 1 and isinstance(body[0], ast.Return), graphql_type.name
        call = body[0].value
        assert isinstance(call, ast.Call) and getattr(call.func, "id", None) == "isinstance", graphql_type.name
        assert isinstance(call.args[0], ast.Name) and call.args[0].id == value, graphql_type.name
        assert value not in {node.id for node in ast.walk(call.args[1]) if isinstance(node, ast.Name)}, \
            graphql_type.name
        checked += 1
    assert checked > 30


def _accepting(type_name: str, field: str) -> tuple[type, type, type]:
    """A class of one field, another class with that field (an impostor), and what `_object`
    reads of a GraphQL object type: its name, and a check that accepts the first class alone and
    counts its calls."""
    def __init__(self, value) -> None:
        setattr(self, field, value)

    value_class = type(type_name, (), {"__init__": __init__})

    class Type:
        name = type_name
        calls = 0

        @classmethod
        def is_type_of(cls, obj, info) -> bool:
            cls.calls += 1
            return isinstance(obj, value_class)

    return value_class, type("Impostor", (), {field: "x"}), Type


async def test_an_object_of_a_class_its_type_check_accepted_is_produced_without_the_checks():
    from api.core.compiled.plan import _object
    from api.core.compiled.run import Inline

    Seller, Impostor, Type = _accepting("Seller", "name")

    async def later(value):
        await asyncio.sleep(0)
        return value

    def inline_object(fields, nullable=False):
        class Field:
            needs_path = False
            inline = Inline(lambda source: source.seller, True, (), {}, None, _object(Type, fields, nullable))
        return (FIELD, "seller", Field, None, None)

    plain = build_fields((inline_object((leaf("name", serialize_string),)),), "Offer")
    for name in ("a", "b"):
        assert plain(Run(), Source(seller=Seller(name)), None) == {"seller": {"name": name}}
    assert Type.calls == 1  # the second seller: a class the check accepted
    with pytest.raises(Bail):
        plain(Run(), Source(seller=Impostor()), None)
    with pytest.raises(Bail):
        plain(Run(), Source(seller=None), None)
    assert Type.calls == 2
    # An object of leaves alone is written out in its parent's code, its leaves' rules with it.
    strict = build_fields((inline_object((leaf("name", serialize_string, nullable=False),
                                          (TYPENAME, "__typename", "Seller", None, None))),), "Offer")
    assert "child_0" in strict.source and "produce_0(" not in strict.source.split("else:")[0]
    assert strict(Run(), Source(seller=Seller("c")), None) == {"seller": {"name": "c", "__typename": "Seller"}}
    with pytest.raises(Bail):  # a null where the type allows none
        strict(Run(), Source(seller=Seller(None)), None)
    with pytest.raises(GraphQLError):  # a value the scalar refuses
        strict(Run(), Source(seller=Seller(object())), None)
    # A type with a field to wait on: its answer is awaited with its siblings as before.
    waiting = (FIELD, "soon", lambda run, source, path: later(source.name), None, None)
    awaits = build_fields((inline_object((waiting,)),), "Offer")
    for name in ("c", "d"):
        assert await awaits(Run(), Source(seller=Seller(name)), None) == {"seller": {"soon": name}}
    assert plain.plain and strict.plain and not awaits.plain


def test_an_object_read_in_place_whose_fields_never_wait_never_waits_and_leaves_an_awaitable_to_the_stock_run():
    from api.core.compiled.plan import _object
    from api.core.compiled.run import Inline

    Seller, _Impostor, SellerType = _accepting("Seller", "name")
    Offer, _Other, OfferType = _accepting("Offer", "seller")

    def inline_object(name, object_type, fields):
        class Field:
            needs_path = False
            inline = Inline(eval(f"lambda source: source.{name}"), True, (), {}, None,  # noqa: S307
                            _object(object_type, fields, False))
        return (FIELD, name, Field, None, None)

    seller = inline_object("seller", SellerType, (leaf("name", serialize_string),))
    offer = build_fields((inline_object("offer", OfferType, (seller,)),), "Product")
    assert offer.plain and not offer.leaves  # an object of an object of leaves: never awaitable
    for name in ("a", "b"):  # the first time checked and kept, then produced without the checks
        assert offer(Run(), Source(offer=Offer(Seller(name))), None) == {"offer": {"seller": {"name": name}}}
    # Written out in its parent's code as an object of leaves is: no builder called for an offer
    # of a class accepted before, its seller read in place.
    accepted = offer.source.split("else:")[0]
    assert "child_0_0 = value" in accepted and "produce_0(" not in accepted

    async def held():
        return Seller("c")

    awaitable = held()
    with pytest.raises(Bail):  # an object that holds an awaitable: the stock executor awaits it
        offer(Run(), Source(offer=Offer(awaitable)), None)
    awaitable.close()


def test_an_enum_value_is_named_by_the_text_names_as_the_enum_type_names_it():
    from graphql import GraphQLEnumType, GraphQLEnumValue

    from api.core.executor import output_serializer

    class Kind(str, Enum):
        EBOOK = "ebook"
        VIDEO = "VIDEO"  # its name is its value: it hashes as the text does

    enum_type = GraphQLEnumType("Kind", {"EBOOK": GraphQLEnumValue("ebook"), "VIDEO": GraphQLEnumValue("VIDEO")})
    enum = output_serializer(enum_type)
    entries = ((LEAF, "kind", lambda source: source.kind, enum, False),
               (LEAF, "was", lambda source: source.was, enum, True))
    produce = build_fields(entries, "Licence")
    for _ in range(2):  # before and after the plain text values are seen
        for value in ("ebook", "VIDEO", Kind.EBOOK, Kind.VIDEO):
            assert produce(Run(), Source(kind=value, was=value), None) == {
                "kind": enum_type.coerce_output_value(value), "was": enum_type.coerce_output_value(value)}
    members_first = build_fields(((LEAF, "kind", lambda source: source.kind, output_serializer(enum_type), False),),
                                 "Licence")
    for _ in range(2):  # a member named first: the text equal to it is named the same
        for value in (Kind.EBOOK, Kind.VIDEO, "ebook", "VIDEO"):
            assert members_first(Run(), Source(kind=value), None) == {"kind": enum_type.coerce_output_value(value)}
    assert produce(Run(), Source(kind="ebook", was=None), None) == {"kind": "EBOOK", "was": None}
    with pytest.raises(Bail):  # null where the type allows none
        produce(Run(), Source(kind=None, was=None), None)
    for refused in ("EBOOK", ["ebook"], 3):  # a name, an unhashable value, a value the enum lacks
        with pytest.raises(GraphQLError):
            produce(Run(), Source(kind=refused, was=None), None)


def test_a_plain_enum_member_is_named_by_the_text_names_once_the_enum_type_named_it():
    from graphql import GraphQLEnumType, GraphQLEnumValue

    from api.core.executor import output_serializer

    class Shape(Enum):
        ROUND = "round"
        SQUARE = 2

    class Other(Enum):
        ROUND = "round"  # the same name and value, another enum: equal to itself alone

    class Level(int, Enum):
        ONE = 1  # equal to 1 and to True: named by the enum type's own lookup every time

    enum_type = GraphQLEnumType("Shape", {"ROUND": GraphQLEnumValue(Shape.ROUND),
                                          "SQUARE": GraphQLEnumValue(Shape.SQUARE),
                                          "ONE": GraphQLEnumValue(Level.ONE)})
    enum = output_serializer(enum_type)
    produce = build_fields(((LEAF, "shape", lambda source: source.shape, enum, False),), "Thing")
    for _ in range(2):  # before and after the members are named
        assert produce(Run(), Source(shape=Shape.ROUND), None) == {"shape": "ROUND"}
        assert produce(Run(), Source(shape=Shape.SQUARE), None) == {"shape": "SQUARE"}
        assert produce(Run(), Source(shape=Level.ONE), None) == {"shape": "ONE"}
    assert enum.text_names == {Shape.ROUND: "ROUND", Shape.SQUARE: "SQUARE"}
    for refused in (Other.ROUND, "round", "ROUND", 2):
        with pytest.raises(GraphQLError):
            produce(Run(), Source(shape=refused), None)
    assert enum.text_names == {Shape.ROUND: "ROUND", Shape.SQUARE: "SQUARE"}


def test_a_list_of_objects_of_leaves_is_produced_in_place_once_their_class_was_accepted():
    from api.core.compiled.plan import _list, _object
    from api.core.compiled.run import Inline

    Image, Impostor, Type = _accepting("Image", "url")

    def images(nullable_items=False):
        complete = _list(_object(Type, (leaf("url", serialize_string),), nullable_items), False)

        class Field:
            needs_path = False
            inline = Inline(lambda source: source.images, True, (), {}, None, complete)
        assert complete.written[0] == "object_list"
        return build_fields(((FIELD, "images", Field, None, None),), "Product")

    produce = images()
    for urls in (["a", "b"], ["c"], []):
        assert produce(Run(), Source(images=[Image(url) for url in urls]), None) == {
            "images": [{"url": url} for url in urls]}
    assert Type.calls == 2  # the first list's items only: then a class the check accepted
    # each item's leaves serialized in the list's loop as their scalar does, a refused value an error
    assert produce(Run(), Source(images=[Image("a"), Image(7), Image(None)]), None) == {
        "images": [{"url": "a"}, {"url": "7"}, {"url": None}]}
    with pytest.raises(GraphQLError):
        produce(Run(), Source(images=[Image("a"), Image(object())]), None)
    for refused in ([Image("a"), Impostor()], [Image("a"), None], [Image("a"), ValueError("gone")], None):
        with pytest.raises(Bail):  # checked as before: another class, a null item or list, an error
            produce(Run(), Source(images=refused), None)
    assert images(nullable_items=True)(Run(), Source(images=(Image("a"), None)), None) == {
        "images": [{"url": "a"}, None]}  # a tuple, with a null where the type allows one


def test_a_getter_that_only_reads_its_source_is_written_out_in_place():
    from api.core.compiled.leaves import read_in_place as _read_in_place

    def attribute(self):
        return self.title

    def item(self):
        return self["url"]

    def got(self):
        return self.get("altText")

    def computed(self):
        return self.get("altText") or ""

    def other_method(self):
        return self.pop("url")

    def by_number(self):
        return self[0]

    def by_float(self):
        return self[0.5]

    def twice(self, other):
        return self.title

    def key(self, name="url"):
        return self[name]

    assert [_read_in_place(getter) for getter in (attribute, item, got, by_number)] == [
        "source.title", "source['url']", "source.get('altText')", "source[0]"]
    assert {_read_in_place(getter) for getter in (computed, other_method, by_float, twice, key)} == {None}
    entries = tuple((LEAF, name, getter, serialize_string, True) for name, getter in
                    (("title", attribute), ("url", item), ("alt", got), ("other", computed)))
    produce = build_fields(entries, "Image")
    assert "get_3(source)" in produce.source and "get_0(" not in produce.source

    class Stored(dict):
        title = "t"

    assert produce(Run(), Stored(url="u", altText="a"), None) == {"title": "t", "url": "u", "alt": "a", "other": "a"}
    assert produce(Run(), Stored(url="u"), None) == {"title": "t", "url": "u", "alt": None, "other": ""}
    with pytest.raises(KeyError):  # raised in place as the getter raised it
        produce(Run(), Stored(), None)


def test_a_resolver_is_called_by_position_as_far_as_its_parameters_allow():
    from api.core.compiled.builder import _passed
    from api.core.compiled.run import Inline

    def method(self, info, option="BUY", *, first=10):
        return (self, info.context, option, first)

    def root(first, root, info):
        return (root, info.context, first)

    constants: dict = {}
    assert _passed(Inline(method, True, (), {"first": 5, "option": "RENT"}, "info", None), 0, constants) == [
        "source", "run.context_info", "argument_0_1", "first=argument_0_0"]
    assert constants == {"argument_0_0": 5, "argument_0_1": "RENT"}
    assert _passed(Inline(root, False, ("root",), {"first": 3}, "info", None), 1, {}) == [
        "argument_1_0", "source", "run.context_info"]
    assert _passed(Inline(method, True, (), {"first": 5}, "info", None), 2, {}) == [
        "source", "run.context_info", "first=argument_2_0"]  # `option` left to its default

    class Context:
        context = "the context"

    class Run:
        context_info = Context()
        is_awaitable = staticmethod(asyncio.iscoroutine)

    for inline, answer in ((Inline(method, True, (), {"first": 5}, "info", None), ["s", "the context", "BUY", 5]),
                           (Inline(root, False, ("root",), {"first": 3}, "info", None), ["s", "the context", 3])):
        class Field:
            needs_path = False

        Field.inline = inline._replace(complete=lambda run, value, info, path: list(value))
        assert build_fields(((FIELD, "f", Field, None, None),), "T")(Run(), "s", None) == {"f": answer}
