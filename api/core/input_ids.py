"""Global IDs in a mutation's input: checked before the mutation runs, and any `InvalidId` its
resolver raises, answered as a `userError` of its payload (code INVALID_ID, `field` the exact
path of the ID, list indices included), so a client reads every refused mutation the same way
and nothing is written."""
from __future__ import annotations

from dataclasses import MISSING
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types.base import StrawberryList, StrawberryOptional, has_object_definition
from strawberry.types.field import StrawberryField
from strawberry.types.info import Info
from strawberry.utils.str_converters import to_camel_case

from api.core import ids
from api.core.error_codes import UserErrorCode


def _unwrap(type_: Any) -> tuple[Any, bool]:
    """(the named type inside Optional/List wrappers, whether a list is among them)."""
    listed = False
    while isinstance(type_, StrawberryOptional | StrawberryList):
        listed = listed or isinstance(type_, StrawberryList)
        type_ = type_.of_type
    return type_, listed


def _is_id(type_: Any) -> bool:
    return type_ is strawberry.ID


def id_paths(value: Any, path: list[str]) -> list[tuple[list[str], Any, bool]]:
    """(path, value, whether a bare UUID is taken there) of every global ID in an input value,
    lists and nested inputs included."""
    if value is None:
        return []
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in id_paths(item, [*path, str(index)])]
    if not has_object_definition(value):
        return []
    found = []
    for field in value.__strawberry_definition__.fields:
        named, _ = _unwrap(field.type)
        item = getattr(value, field.python_name, None)
        name = field.graphql_name or to_camel_case(field.python_name)
        if _is_id(named):
            items = item if isinstance(item, list) else [item]
            prefix = [*path, name]
            takes_uuid = bool((field.metadata or {}).get(ids.TAKES_UUID))
            found += [([*prefix, str(i)] if isinstance(item, list) else prefix, v, takes_uuid)
                      for i, v in enumerate(items) if isinstance(v, str)]  # not None nor UNSET
        elif has_object_definition(named):
            found += id_paths(item, [*path, name])
    return found


class InputIds(FieldExtension):
    """On a mutation field: malformed IDs and `InvalidId`s become the payload's `userErrors`."""

    def apply(self, field: StrawberryField) -> None:
        self.payload = field.type
        errors = next(f for f in self.payload.__strawberry_definition__.fields if f.python_name == "user_errors")
        self.error_type, _ = _unwrap(errors.type)

    async def resolve_async(self, next_, source: Any, info: Info, **kwargs: Any) -> Any:
        found = [found for name, argument in kwargs.items() for found in id_paths(argument, [name])]
        for path, value, takes_uuid in found:
            if ids.parse(value) is None and not (takes_uuid and ids.bare_uuid(value)):
                return self.refused(ids.InvalidId(f"{value[:60]!r} is not a valid ID.", field=path))
        paths: dict[str, list[list[str]]] = {}
        for path, value, _ in found:
            paths.setdefault(value, []).append(path)
        token = ids.input_paths.set(paths)
        try:
            return await next_(source, info, **kwargs)
        except ids.InvalidId as error:
            return self.refused(error)
        finally:
            ids.input_paths.reset(token)

    def refused(self, error: ids.InvalidId) -> Any:
        """The payload with the error and nothing else: its result fields null, counts zero."""
        values: dict[str, Any] = {}
        for field in self.payload.__strawberry_definition__.fields:
            if field.python_name == "user_errors" or field.base_resolver is not None:
                continue
            if field.default is not MISSING:
                values[field.python_name] = field.default
            elif isinstance(field.type, StrawberryOptional):
                values[field.python_name] = None
            elif isinstance(field.type, StrawberryList):
                values[field.python_name] = []
            elif field.type in (int, bool):
                values[field.python_name] = field.type()  # a count (0) or a flag (False)
            else:
                raise TypeError(f"{self.payload.__name__}.{field.python_name} has no value for a refused mutation")
        error_value = self.error_type(code=UserErrorCode.INVALID_ID, message=error.message, field=error.field)
        return self.payload(**values, user_errors=[error_value])


def guard(mutation_type: type) -> None:
    """Puts `InputIds` on every field of the Mutation type (once)."""
    for field in mutation_type.__strawberry_definition__.fields:
        if not any(isinstance(e, InputIds) for e in field.extensions):
            field.extensions.append(InputIds())
