"""Opaque Relay global IDs: base64url of "<Type>:<database id>"; the database id is a number, or
a UUID for the objects whose key clients make (`UUID_KEYED`).

A malformed ID, or the ID of another type of object than a field takes, is an `InvalidId`: a
domain error coded INVALID_ID whose `field` is the exact path of the ID in the request. In a
query it becomes a BAD_USER_INPUT error with reason INVALID_ID (api/core/errors.py); in a
mutation a `userError` of the payload (api/core/input_ids.py), before anything is written."""
from __future__ import annotations

import base64
import binascii
import uuid
from contextvars import ContextVar
from functools import lru_cache

from domain.shared.errors import CommonErrorCode, InvalidInput

MAX_ID_LENGTH = 200
# Objects keyed by a UUID: sessions (made at sign-in) and annotations (made by the device that
# creates them, offline), whose inputs also take that UUID as it is (see `decode_uuid`).
UUID_KEYED = frozenset({"Session", "Annotation"})
# Metadata of an ID input field that also takes a bare UUID (checked by `decode_uuid`).
TAKES_UUID = "takes_uuid"

# Where each ID of the running mutation's input sits ("<value>" -> its paths, e.g.
# ["input", "lines", "2", "offerId"]), so a resolver that names a field loosely
# ("input.lines.offerId") still reports the exact element.
input_paths: ContextVar[dict[str, list[list[str]]] | None] = ContextVar("input_paths", default=None)


class InvalidId(InvalidInput):
    code = CommonErrorCode.INVALID_ID


@lru_cache(maxsize=65536)
def encode(type_name: str, pk: int | uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def parse(global_id: object) -> tuple[str, int | uuid.UUID] | None:
    """(type name, database id), or None for anything that is not one of our IDs."""
    if not isinstance(global_id, str) or len(global_id) > MAX_ID_LENGTH:
        return None
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
        type_name, _, pk = raw.partition(":")
        if type_name in UUID_KEYED:
            return type_name, uuid.UUID(pk)
        value = int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not type_name.isidentifier() or value <= 0 or value >= 2**63:
        return None
    return type_name, value


def bare_uuid(value: object) -> uuid.UUID | None:
    """The UUID a string spells in its canonical form, else None."""
    if not isinstance(value, str) or len(value) != 36:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def decode(global_id: str, argument: str = "id") -> tuple[str, int | uuid.UUID]:
    """(type name, database id); INVALID_ID for anything that is not one of ours."""
    parsed = parse(global_id)
    if parsed is None:
        raise InvalidId(f"{_shown(global_id)} is not a valid ID.", field=path_of(global_id, argument))
    return parsed


def decode_as(global_id: str, expected: str, argument: str = "id") -> int:
    """The database id of a global ID that must name an `expected` object. `argument` is the
    field's path, dotted ("input.licenceId"); list indices are found from the request."""
    type_name, pk = decode(global_id, argument)
    if type_name != expected:
        raise InvalidId(f"{_shown(global_id)} is the ID of {_a(type_name)}, not of {_a(expected)}.",
                        field=path_of(global_id, argument))
    return pk


def decode_uuid(value: str, expected: str, argument: str) -> uuid.UUID:
    """The UUID key of an `expected` object (one of `UUID_KEYED`) from its global ID, or from the
    UUID itself (what the field's description says about taking it)."""
    bare = bare_uuid(value)
    if bare is not None:
        return bare
    decode_as(value, expected, argument)
    return parse(value)[1]


def path_of(value: object, argument: str) -> list[str]:
    """The exact path of `value` in the running mutation's input when it is there under
    `argument` (indices aside), else `argument` split at its dots."""
    loose = argument.split(".")
    for path in (input_paths.get() or {}).get(value if isinstance(value, str) else "", []):
        if [part for part in path if not part.isdigit()] == loose:
            return path
    return loose


def _a(type_name: str) -> str:
    return f"{'an' if type_name[:1] in 'AEIOU' else 'a'} {type_name}"


def _shown(value: object) -> str:
    return repr(value[:60] if isinstance(value, str) else value)
