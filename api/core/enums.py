"""GraphQL enums derived from the domain's enums, so a status, kind or error code is defined
once (in the domain) and the schema cannot drift from it."""
from __future__ import annotations

from enum import StrEnum

import strawberry


def graphql_enum(source: type[StrEnum], description: str, *, name: str | None = None) -> type[StrEnum]:
    """A GraphQL enum named `name` (else as `source`) with the members of the domain enum
    `source`, in its order. The enum is a copy, so the domain's class carries no GraphQL
    definition; its members equal the domain's (both are the stored strings)."""
    copy = StrEnum(name or source.__name__, [(member.name, member.value) for member in source])
    copy.__doc__ = source.__doc__
    copy.__domain_enum__ = source
    return strawberry.enum(copy, description=description)
