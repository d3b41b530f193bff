"""Opaque Relay global IDs: base64url of "<Type>:<database id>"."""
from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from graphql import GraphQLError

MAX_ID_LENGTH = 200


@lru_cache(maxsize=65536)
def encode(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def decode(global_id: str) -> tuple[str, int]:
    """(type name, database id); a clear GraphQL error for anything that is not one of ours."""
    if not isinstance(global_id, str) or len(global_id) > MAX_ID_LENGTH:
        raise invalid_id(global_id)
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
        type_name, _, pk = raw.partition(":")
        value = int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid_id(global_id) from None
    if not type_name.isidentifier() or value <= 0 or value >= 2**63:
        raise invalid_id(global_id)
    return type_name, value


def decode_as(global_id: str, expected: str, argument: str = "id") -> int:
    """The database id of a global ID that must name an `expected` object."""
    type_name, pk = decode(global_id)
    if type_name != expected:
        raise GraphQLError(
            f"Argument {argument}: {global_id!r} is the ID of a {type_name}, not of a {expected}.",
            extensions={"code": "BAD_USER_INPUT", "reason": "WRONG_ID_TYPE", "field": [argument]},
        )
    return pk


def invalid_id(value: object) -> GraphQLError:
    shown = value[:60] if isinstance(value, str) else value
    return GraphQLError(
        f"{shown!r} is not a valid ID.",
        extensions={"code": "BAD_USER_INPUT", "reason": "INVALID_ID"},
    )
