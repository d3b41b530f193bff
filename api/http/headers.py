"""Small helpers for raw ASGI response headers (lists of lower-case byte pairs)."""
from __future__ import annotations

from operator import itemgetter

# A raw header's name, mapped over a list of them in C rather than looped over in Python.
NAME = itemgetter(0)

# Every spelling of the name `Vary` (header names are case-insensitive): one is found by hashing.
_VARY = frozenset(b"".join(c.upper() if n >> i & 1 else c for i, c in enumerate((b"v", b"a", b"r", b"y")))
                  for n in range(16))
_OTHER_SPELLINGS = _VARY - {b"vary"}
# (the Vary values present, the names added) -> the merged value: the layers of the server add
# the same few names to the same few values on every response.
_MERGED: dict[tuple[tuple[bytes, ...], tuple[bytes, ...]], bytes] = {}
_MAX_MERGED = 256


def add_vary(headers: list[tuple[bytes, bytes]], *names: bytes) -> list[tuple[bytes, bytes]]:
    """The headers with `names` added to their one `Vary` header (merged with any there, once
    each, case-insensitively), so that several layers can each say what their answer depends on:
    a new list (its `Vary` where the one there was, or last when there were several), or the same
    list when it names them all already."""
    keys = list(map(NAME, headers))
    if keys.count(b"vary") == 1 and _OTHER_SPELLINGS.isdisjoint(keys):  # as ASGI has them: found in C
        at = keys.index(b"vary")
        value = headers[at][1]
        merged = _MERGED.get(((value,), names))
        if merged == value:
            return headers  # each name is there already: the usual answer
        found = [at]
    else:
        spellings = _VARY.intersection(keys)
        found = [i for i, key in enumerate(keys) if key in spellings]
    if not found:
        return [*headers, (b"vary", b", ".join(names))]
    key = (tuple([headers[i][1] for i in found]), names)
    merged = _MERGED.get(key)
    if merged is None:
        merged = _merge(key[0], names)
        if len(_MERGED) < _MAX_MERGED:
            _MERGED[key] = merged
    if len(found) == 1:
        if merged == key[0][0]:
            return headers  # each name is there already
        changed = headers.copy()
        changed[found[0]] = (b"vary", merged)
        return changed
    return [header for i, header in enumerate(headers) if i not in found] + [(b"vary", merged)]


def _merge(values: tuple[bytes, ...], names: tuple[bytes, ...]) -> bytes:
    present: list[bytes] = []
    seen: set[bytes] = set()
    for name in [part.strip() for value in values for part in value.split(b",")] + list(names):
        if name and name.lower() not in seen:
            seen.add(name.lower())
            present.append(name)
    return b"*" if b"*" in present else b", ".join(present)
