"""An execution context with an inline path for plain leaf fields.

Most fields of a page are scalars read straight off an object (`title`, `amount`). The stock
executor builds a path, a resolve-info object, calls strawberry's wrapped resolver and
completes the value for each of them, which costs far more than reading the attribute. Fields
that qualify here (no resolver of their own or one marked `inline`, no arguments, no field
extensions, a scalar or enum type) are read with `getattr` and serialized in the loop over an object's fields;
anything unusual (a null non-null value, a value the scalar refuses) takes the stock path,
so errors are reported exactly as before. Other fields are executed as graphql-core does.
"""
from __future__ import annotations

from enum import Enum
from operator import attrgetter
from typing import Any

from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLObjectType, get_named_type, is_leaf_type
from graphql.pyutils import Path, Undefined, gather_with_cancel
from graphql.type.definition import GraphQLResolveInfoHelpers
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from api.core.weak_calls import weakly

_NO_PLAN = object()
# (parent type, field name) -> (getter, serialize, nullable) or _NO_PLAN
_plans: dict[tuple[GraphQLObjectType, str], Any] = {}
# The attribute each plain field's getter reads, for code that reads it in place (the compiled
# executor's builder). One getter per field of the schema.
_attributes: dict[Any, str] = {}


def attribute_read(getter: Any) -> str | None:
    """The attribute `getter` reads when it is a plain field's `attrgetter`, else None."""
    return _attributes.get(getter)


def attribute_getter(name: str) -> Any:
    """`attrgetter(name)`, known to `attribute_read`."""
    getter = attrgetter(name)
    _attributes[getter] = name
    return getter


def inline(resolver):
    """Mark a resolver that only reads its root (no info, no arguments, no I/O) as safe to
    call on the inline path, like a plain attribute."""
    resolver.inline = True
    return resolver


def _plan(parent_type: GraphQLObjectType, field_name: str) -> Any:
    field_def = parent_type.fields.get(field_name)
    if field_def is None or field_def.args:
        return _NO_PLAN
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or definition.extensions:
        return _NO_PLAN
    if definition.base_resolver is None:
        getter = attribute_getter(definition.python_name)
    elif getattr(definition.base_resolver.wrapped_func, "inline", False):
        getter = definition.base_resolver.wrapped_func
    else:
        return _NO_PLAN
    if getattr(definition, "permission_classes", None):
        return _NO_PLAN
    named = get_named_type(field_def.type)
    inner = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
    if not is_leaf_type(named) or inner is not named:  # lists go the stock way
        return _NO_PLAN
    return (getter, output_serializer(named), not isinstance(field_def.type, GraphQLNonNull))


def _plan_for(parent_type: GraphQLObjectType, field_name: str) -> Any:
    key = (parent_type, field_name)
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _plan(parent_type, field_name)
    return plan


# The enums whose members the text names hold (`output_serializer`): plain ones and str-based ones.
_NAMED_MEMBERS = (object, str)


def output_serializer(leaf_type: Any) -> Any:
    """The type's output coercion. An enum's is looked up by the value once seen: strawberry's
    compares the value with each of the enum's values in turn, on every field of every item."""
    if not isinstance(leaf_type, GraphQLEnumType):
        return leaf_type.coerce_output_value
    coerce = leaf_type.coerce_output_value
    # By (class, value), so that values equal across classes (1 and True) are named apart.
    names: dict[Any, Any] = {}
    # The names of the plain text values seen, for the compiled executor's builder, which looks a
    # value up in them as it is (api/core/compiled/builder.py): a value equal to one of them
    # (a str-based enum member) is the one the enum's own lookup by value finds too. Members of
    # plain enums and of str-based ones are named there too: a plain member equals itself alone,
    # a str-based one its text (members of enums based on numbers, equal across classes as 1 and
    # True are, are not). The second also names null null, for nullable fields.
    text_names: dict[Any, str] = {}
    nullable_names: dict[Any, str | None] = {None: None}

    def serialize(value: Any) -> Any:
        key = (type(value), value)
        try:
            return names[key]
        except KeyError:
            name = names[key] = coerce(value)  # only values the enum knows get this far
            if type(value) is str or (isinstance(value, Enum) and value._member_type_ in _NAMED_MEMBERS):
                text_names[value] = nullable_names[value] = name
            return name
        except TypeError:  # unhashable: never one of the enum's values, and coerce says how
            return coerce(value)

    serialize.text_names, serialize.nullable_names = text_names, nullable_names
    return serialize


_FALLBACK = object()


def _inline_value(plan: Any, source: Any) -> Any:
    """The serialized value, or _FALLBACK when the stock path must handle the field."""
    getter, serialize, nullable = plan
    try:
        value = getter(source)
    except Exception:  # noqa: BLE001  (the stock path reports it properly)
        return _FALLBACK
    if value is None:
        return None if nullable else _FALLBACK
    try:
        return serialize(value)
    except Exception:  # noqa: BLE001  (the stock path reports it properly)
        return _FALLBACK


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Field middleware (extensions with a `resolve` hook) must see every field.
        manager = self.middleware_manager
        self._inline = manager is None or not getattr(manager, "middlewares", ())

    @property
    def async_helpers(self) -> GraphQLResolveInfoHelpers:
        """The helpers resolve infos carry, made when the first info is: graphql-core's hold bound
        methods of the executor, which holds them, a reference cycle that kept the request's
        context, its loaders and all they loaded until the cyclic collector ran (its pauses were
        the servers' slowest requests); these call them weakly. Most compiled queries build no info."""
        helpers = self.__dict__.get("_weak_helpers")
        if helpers is None:
            helpers = self._weak_helpers = GraphQLResolveInfoHelpers(gather=weakly(self.gather_async_work),
                                                                     track=weakly(self.track_async_work))
        return helpers

    @async_helpers.setter
    def async_helpers(self, helpers: GraphQLResolveInfoHelpers) -> None:
        pass  # graphql-core's own, set by its constructor: the getter makes weak ones instead

    def execute_field(self, parent_type, source, field_details_list, path, position_context):
        node = field_details_list[0].node
        if self._inline and not node.arguments:
            plan = _plan_for(parent_type, node.name.value)
            if plan is not _NO_PLAN:
                value = _inline_value(plan, source)
                if value is not _FALLBACK:
                    return value
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def execute_fields(self, parent_type, source_value, path, grouped_field_set, position_context):
        if not self._inline:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set,
                                          position_context)
        # graphql-core's loop, with plain leaves settled in place (no path, no resolver call).
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                node = field_details_list[0].node
                if not node.arguments:
                    plan = _plan_for(parent_type, node.name.value)
                    if plan is not _NO_PLAN:
                        value = _inline_value(plan, source_value)
                        if value is not _FALLBACK:
                            results[response_name] = value
                            continue
                result = super().execute_field(
                    parent_type, source_value, field_details_list,
                    Path(path, response_name, parent_type.name), position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[f] for f in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[f] for f in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()
