"""Opaque Relay global IDs: base64url of "<Type>:<database id>".

A malformed ID, or the ID of another type of object than a field takes, is an `InvalidId`: a
domain error coded INVALID_ID whose `field` is the exact path of the ID in the request. In a
query it becomes a BAD_USER_INPUT error with reason INVALID_ID (api/core/errors.py); in a
mutation a `userError` of the payload (api/core/input_ids.py), before anything is written."""
from __future__ import annotations

import base64
import binascii
from contextvars import ContextVar
from functools import lru_cache

from domain.shared.errors import CommonErrorCode, InvalidInput

MAX_ID_LENGTH = 200

# Where each ID of the running mutation's input sits ("<value>" -> its paths, e.g.
# ["input", "lines", "2", "offerId"]), so a resolver that names a field loosely
# ("input.lines.offerId") still reports the exact element.
input_paths: ContextVar[dict[str, list[list[str]]] | None] = ContextVar("input_paths", default=None)


class InvalidId(InvalidInput):
    code = CommonErrorCode.INVALID_ID


@lru_cache(maxsize=65536)
def encode(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def parse(global_id: object) -> tuple[str, int] | None:
    """(type name, database id), or None for anything that is not one of our IDs."""
    if not isinstance(global_id, str) or len(global_id) > MAX_ID_LENGTH:
        return None
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
        type_name, _, pk = raw.partition(":")
        value = int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not type_name.isidentifier() or value <= 0 or value >= 2**63:
        return None
    return type_name, value


def decode(global_id: str, argument: str = "id") -> tuple[str, int]:
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
