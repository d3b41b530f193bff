"""GraphQL enums derived from the domain's enums, so a status, kind or error code is defined
once (in the domain) and the schema cannot drift from it."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import strawberry

from api.core.error_codes import EVERY_MUTATION


def graphql_enum(source: type[StrEnum], description: str, *, name: str | None = None) -> type[StrEnum]:
    """A GraphQL enum named `name` (else as `source`) with the members of the domain enum
    `source`, in its order. The enum is a copy, so the domain's class carries no GraphQL
    definition; its members equal the domain's (both are the stored strings)."""
    copy = StrEnum(name or source.__name__, [(member.name, member.value) for member in source])
    copy.__doc__ = source.__doc__
    copy.__domain_enum__ = source
    return strawberry.enum(copy, description=description)


@dataclass(frozen=True)
class ErrorCodes:
    """The codes one family of mutations returns (the domain enum `source`, and `shared`: codes
    with a home of their own that several families return, e.g. LICENCE_REVOKED) and what they
    mean there. On the wire they are `UserErrorCode` values (see api/core/error_codes.py); this
    keeps the per-family list, so a code a use case raises outside it still fails as a bug."""

    source: type[StrEnum]
    description: str
    shared: tuple[StrEnum, ...] = ()

    def __contains__(self, code: object) -> bool:
        return code in self.source.__members__.values() or code in self.shared or code in EVERY_MUTATION

    def members(self) -> list[StrEnum]:
        """Every code of the family: its own enum's, then the shared ones."""
        return [*self.source, *self.shared]

    def field(self):
        """The `code` field of the family's error type."""
        return strawberry.field(description=f"{self.description}\nEvery mutation may also return INVALID_ID (an ID in"
                                            " the input is malformed or names another type of object).")


def error_codes(source: type[StrEnum], description: str, shared: tuple[StrEnum, ...] = ()) -> ErrorCodes:
    return ErrorCodes(source, description, shared)
