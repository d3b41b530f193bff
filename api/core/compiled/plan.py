"""Planning: an operation's selection sets turned, once, into tuples of field entries.

An entry is `(kind, response name, a, b, c)`: a plain leaf `(LEAF, name, getter, serialize,
nullable)` read and serialized in place, `(TYPENAME, name, type name, _, _)`, or
`(FIELD, name, run_field, _, _)` whose `run_field(run, source, path)` calls the resolver with
its info and arguments and completes the value with a completer made for the field's type.
Fields are collected with graphql-core's own `collect_fields`, so fragments, aliases and
merging are the reference's, and `@skip`/`@include` are decided by the variable values the
plan is keyed by.
"""
from __future__ import annotations

from types import CoroutineType
from typing import Any

from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    is_abstract_type,
    is_leaf_type,
    is_object_type,
)
from graphql.execution.collect_fields import collect_fields, collect_subfields
from graphql.execution.executor import default_field_resolver
from graphql.execution.values import get_argument_values
from graphql.pyutils import Undefined
from graphql.type.scalars import serialize_id, serialize_string
from strawberry.schema.schema_converter import GraphQLCoreConverter

from api.core.compiled.arguments import VariableArguments, variables_in
from api.core.compiled.builder import build_fields
from api.core.compiled.direct import CONTEXT, FULL, direct_caller, reads_parameter
from api.core.compiled.errors import Bail, Unsupported
from api.core.compiled.run import (
    FIELD,
    LEAF,
    SYNC,
    TYPENAME,
    Inline,
    awaitable,
    by_class,
    complete_items,
    complete_later,
    complete_objects,
    settle,
    step,
)
from api.core.executor import _NO_PLAN, _plan_for, attribute_getter, output_serializer


class Planner:
    """Plans one operation for the executor of its first run (its schema, fragments and the
    values of the variables that `@skip`/`@include` read, which the plan is keyed by)."""

    def __init__(self, executor: Any) -> None:
        self.schema = executor.schema
        self.fragments = executor.fragments
        self.variable_values = executor.variable_values
        self.operation = executor.operation
        self.hide_suggestions = executor.hide_suggestions

    def root(self) -> Any:
        """`produce(run, root_value, None)`: the operation's data, or an awaitable of it."""
        root_type = self.schema.query_type
        grouped, _defers, _forbidden = collect_fields(
            self.schema, self.fragments, self.variable_values, root_type, self.operation,
            self.hide_suggestions)
        return build_fields(self._entries(root_type, grouped), root_type.name)

    def _subfields(self, object_type: GraphQLObjectType, field_details_list: list) -> tuple:
        grouped, _defers, _forbidden = collect_subfields(
            self.schema, self.fragments, self.variable_values, self.operation, object_type,
            field_details_list, self.hide_suggestions)
        return self._entries(object_type, grouped)

    def _entries(self, parent_type: GraphQLObjectType, grouped: dict) -> tuple:
        return tuple(self._entry(parent_type, response_name, field_details_list)
                     for response_name, field_details_list in grouped.items())

    def _entry(self, parent_type: GraphQLObjectType, response_name: str, field_details_list: list) -> tuple:
        node = field_details_list[0].node
        name = node.name.value
        if name == "__typename":
            return (TYPENAME, response_name, parent_type.name, None, None)
        if name.startswith("__"):
            raise Unsupported("introspection")
        if any(details.fragment_variable_values is not None or details.defer_usage is not None
               for details in field_details_list):
            raise Unsupported("fragment_variables")
        field_def = parent_type.fields.get(name)
        if field_def is None:
            raise Unsupported("unknown_field")
        if not node.arguments:
            leaf = _plan_for(parent_type, name)
            if leaf is not _NO_PLAN:
                getter, serialize, nullable = leaf
                return (LEAF, response_name, getter, serialize, nullable)
        return (FIELD, response_name, self._field(parent_type, field_def, field_details_list), None, None)

    def _field(self, parent_type: GraphQLObjectType, field_def: Any, field_details_list: list) -> Any:
        node = field_details_list[0].node
        nodes = [details.node for details in field_details_list]
        complete = self._completer(field_def.type, field_details_list)
        resolve = field_def.resolve or default_field_resolver
        # Strawberry's resolver of a field without one of its own reads the attribute and
        # ignores the info: it gets none, unless the completion needs one.
        basic = getattr(resolve, "_is_default", False) and not getattr(complete, "needs_info", True)
        read = _attribute_reader(field_def) if basic else None
        variable_arguments = None
        if not (field_def.args or node.arguments):
            static_args: dict[str, Any] | None = {}
        elif any(variables_in(argument.value) for argument in node.arguments or ()):
            static_args = None
            variable_arguments = VariableArguments(field_def, node, self.hide_suggestions, id(nodes))
        else:
            static_args = get_argument_values(field_def, node, self.variable_values, None,
                                              self.hide_suggestions)
        direct = None if basic else direct_caller(self.schema, field_def, static_args)
        # The resolve info is built only for a resolver or a completion that reads more of it
        # than the context: errors are reported by the stock run, which builds its own.
        uses = direct.info if direct is not None else FULL
        resolve_info = uses == FULL or getattr(complete, "needs_info", True)
        context_only = uses == CONTEXT

        def run_field(run: Any, source: Any, path: Any) -> Any:
            if basic:
                info = None
                result = read(source) if read is not None else resolve(source, None)
            else:
                executor = run.executor
                if resolve_info:
                    info = executor.build_resolve_info(field_def, nodes, parent_type, path)
                else:
                    info = run.context_info if context_only else None
                args = static_args if variable_arguments is None else variable_arguments.values(run)
                result = direct(source, info, args) if direct is not None else resolve(source, info, **args)
            if type(result) is CoroutineType:
                return step(run, result, complete, info, path)
            if result.__class__ not in SYNC and awaitable(run, result):
                return complete_later(run, result, complete, info, path)
            return complete(run, result, info, path)

        run_field.nodes = nodes  # keeps the list alive: its id keys the run's arguments
        # Paths are only read by the resolve infos built below this field (or for it).
        run_field.needs_path = (not basic and resolve_info) or getattr(complete, "needs_path", True)
        # What the generated builder needs to call the resolver and completer itself (`inline`),
        # when neither reads a resolve info and the arguments are the same on every call.
        run_field.inline = None
        if basic and read is not None:
            run_field.inline = Inline(read, True, (), {}, None, complete)
        elif direct is not None and direct.plain is not None and not resolve_info:
            run_field.inline = Inline(*direct.plain, complete)
        return run_field

    def _completer(self, type_: Any, field_details_list: list) -> Any:
        nullable = not isinstance(type_, GraphQLNonNull)
        if not nullable:
            type_ = type_.of_type
        if isinstance(type_, GraphQLList):
            return _list(self._completer(type_.of_type, field_details_list), nullable)
        if is_leaf_type(type_):
            return _leaf(output_serializer(type_), nullable)
        if is_object_type(type_):
            return _object(type_, self._subfields(type_, field_details_list), nullable)
        if is_abstract_type(type_):
            plans = {possible.name: (possible, self._subfields(possible, field_details_list))
                     for possible in self.schema.get_possible_types(type_)}
            return _abstract(type_, plans, nullable)
        raise Unsupported("type")


def _attribute_reader(field_def: Any) -> Any:
    """`attrgetter` of the attribute a field without a resolver of its own reads, when strawberry
    would read it with plain `getattr` (the default resolver of its config)."""
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or definition.base_resolver is not None or definition.default_resolver is not getattr:
        return None
    return attribute_getter(definition.python_name)


# Completers, one per field type, nullability folded in: a null (or a resolver's exception
# returned as a value) where the type allows none, or anything unusual, is a `Bail`, and the stock
# executor reports it. The null checks are written out in each completer, not shared: a call per
# value is what folding them in saved.

def _leaf(serialize: Any, nullable: bool) -> Any:
    def complete(run: Any, value: Any, info: Any, path: Any) -> Any:
        if value is None or value is Undefined:
            if nullable:
                return None
            raise Bail
        if isinstance(value, Exception):
            raise Bail
        value = serialize(value)
        if value is None or value is Undefined:
            raise Bail
        return value

    complete.needs_info = False
    complete.needs_path = False
    complete.written = ("leaf", serialize, nullable)  # what the builder writes out in its place
    return complete


def _list(inner: Any, nullable: bool) -> Any:
    written = getattr(inner, "written", None)
    if written is not None and written[0] == "leaf":
        return _leaf_list(written[1], written[2], nullable)
    accepted: set[type] | None = None
    if written is not None and written[0] == "object" and not inner.needs_info:
        # Objects whose type check needs no info: each item completed in the list's own loop
        # (`complete_objects`) rather than by a call of the item's completer.
        _kind, is_type_of, produce, nullable_items = written
        paths = inner.needs_path
        # The item classes the type's check has accepted, when it answers by class alone: the
        # API's own checks (an `isinstance` each, as a test holds them), not strawberry's, which
        # also reads a mark `strawberry.cast` may have put on the object.
        accepted = set() if by_class(is_type_of) else None

        def items(run: Any, value: Any, info: Any, path: Any) -> Any:
            return complete_objects(run, value, produce, is_type_of, nullable_items, path, paths, accepted)
    else:
        def items(run: Any, value: Any, info: Any, path: Any) -> Any:
            return complete_items(run, value, inner, info, path)

    def complete(run: Any, value: Any, info: Any, path: Any) -> Any:
        if value is None or value is Undefined:
            if nullable:
                return None
            raise Bail
        if isinstance(value, Exception):
            raise Bail
        return items(run, value, info, path)

    complete.needs_info = getattr(inner, "needs_info", True)
    complete.needs_path = getattr(inner, "needs_path", True)
    if accepted is not None and getattr(written[2], "leaves", False):
        # Items of leaves alone, their classes checked by class: the builder writes the list out
        # in its place when every item is of a class the check accepted before.
        complete.written = ("object_list", accepted, written[2])
    return complete


def _leaf_list(serialize: Any, nullable_items: bool, nullable: bool) -> Any:
    """A list of leaves (a book's authors) completed in one loop, without a call per item: no
    path or info is read below it."""
    text = serialize in (serialize_string, serialize_id)  # text is its own serialized value

    def complete(run: Any, value: Any, info: Any, path: Any) -> Any:
        if value is None or value is Undefined:
            if nullable:
                return None
            raise Bail
        if type(value) is not list and type(value) is not tuple:
            raise Bail  # an exception returned as a value, generators: graphql-core's business
        completed = []
        for item in value:
            if text and item.__class__ is str:
                completed.append(item)
                continue
            if item is None or item is Undefined:
                if not nullable_items:
                    raise Bail
                completed.append(None)
                continue
            if isinstance(item, Exception):
                raise Bail
            item = serialize(item)
            if item is None or item is Undefined:
                raise Bail
            completed.append(item)
        return completed

    complete.needs_info = False
    complete.needs_path = False
    if text:  # a list of str is its own answer: the builder passes it on as it is
        complete.written = ("text_list",)
    return complete


def _object(object_type: GraphQLObjectType, fields: tuple, nullable: bool) -> Any:
    is_type_of = object_type.is_type_of
    produce = build_fields(fields, object_type.name)

    def complete(run: Any, value: Any, info: Any, path: Any) -> Any:
        if value is None or value is Undefined:
            if nullable:
                return None
            raise Bail
        if isinstance(value, Exception):
            raise Bail
        if is_type_of is not None:
            matches = is_type_of(value, info)
            if matches is not True:
                raise Bail  # false, or an awaitable: graphql-core's business
        return produce(run, value, path)

    # Strawberry's own is_type_of never reads the info, and most of the API's own look at the
    # object alone (`isinstance`).
    complete.needs_info = (is_type_of is not None and ".<locals>.is_type_of" not in is_type_of.__qualname__
                           and _reads_info(is_type_of))
    # Written out by the builder in its place when the type's check needs no info.
    complete.written = ("object", is_type_of, produce, nullable)
    complete.needs_path = any(kind == FIELD and getattr(first, "needs_path", True)
                              for kind, _name, first, _second, _third in fields)
    return complete


def _reads_info(is_type_of: Any) -> bool:
    code = getattr(getattr(is_type_of, "__func__", is_type_of), "__code__", None)
    if code is None or code.co_argcount == 0:
        return True
    return reads_parameter(is_type_of, code.co_varnames[code.co_argcount - 1])


def _abstract(abstract_type: Any, plans: dict[str, tuple], nullable: bool) -> Any:
    resolve_type = abstract_type.resolve_type
    if resolve_type is None:
        raise Unsupported("type_resolver")
    plans = {name: (object_type, build_fields(fields, object_type.name))
             for name, (object_type, fields) in plans.items()}

    def complete(run: Any, value: Any, info: Any, path: Any) -> Any:
        if value is None or value is Undefined:
            if nullable:
                return None
            raise Bail
        if isinstance(value, Exception):
            raise Bail
        runtime_name = resolve_type(value, info, abstract_type)
        plan = plans.get(runtime_name) if type(runtime_name) is str else None
        if plan is None:
            raise Bail  # an awaitable, or a type the abstract one does not allow
        object_type, produce = plan
        if object_type.is_type_of is not None and object_type.is_type_of(value, info) is not True:
            raise Bail
        return produce(run, value, path)

    complete.needs_info = True
    complete.needs_path = True
    return complete


__all__ = ["Planner", "settle"]
