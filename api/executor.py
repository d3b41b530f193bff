"""An execution context with an inline path for plain leaf fields.

Most fields of a page are scalars read straight off an object (`title`, `amount`). The stock
executor builds a resolve-info object, calls strawberry's wrapped resolver and completes the
value for each of them, which costs more than reading the attribute. Fields that qualify here
(no resolver of their own, no arguments, no field extensions, a scalar or enum type) are read
with `getattr` and serialized directly; anything unusual (a missing or null non-null value, a
value the scalar refuses) falls back to the stock path, so errors are reported exactly as before.
"""
from __future__ import annotations

from typing import Any

from graphql import GraphQLNonNull, GraphQLObjectType, get_named_type, is_leaf_type
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

_NO_PLAN = object()
# (parent type, field name) -> (attribute, serialize, nullable) or _NO_PLAN
_plans: dict[tuple[GraphQLObjectType, str], Any] = {}


def _plan(parent_type: GraphQLObjectType, field_name: str) -> Any:
    field_def = parent_type.fields.get(field_name)
    if field_def is None or field_def.args:
        return _NO_PLAN
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or definition.base_resolver is not None or definition.extensions:
        return _NO_PLAN
    if getattr(definition, "permission_classes", None):
        return _NO_PLAN
    named = get_named_type(field_def.type)
    inner = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
    if not is_leaf_type(named) or inner is not named:  # lists go the stock way
        return _NO_PLAN
    return (definition.python_name, named.serialize, not isinstance(field_def.type, GraphQLNonNull))


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Field middleware (extensions with a `resolve` hook) must see every field.
        manager = self.middleware_manager
        self._inline = manager is None or not getattr(manager, "middlewares", ())

    def execute_field(self, parent_type, source, field_details_list, path, position_context):
        node = field_details_list[0].node
        key = (parent_type, node.name.value)
        plan = _plans.get(key)
        if plan is None:
            plan = _plans[key] = _plan(parent_type, node.name.value)
        if plan is not _NO_PLAN and self._inline and not node.arguments:
            attribute, serialize, nullable = plan
            value = getattr(source, attribute, None)
            if value is None:
                if nullable:
                    return None
            else:
                try:
                    return serialize(value)
                except Exception:  # noqa: BLE001  (the stock path reports it properly)
                    pass
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
