"""Small helpers for raw ASGI response headers (lists of lower-case byte pairs)."""
from __future__ import annotations


def add_vary(headers: list[tuple[bytes, bytes]], *names: bytes) -> list[tuple[bytes, bytes]]:
    """The headers with `names` added to their one `Vary` header (merged with any there, once
    each, case-insensitively), so that several layers can each say what their answer depends on."""
    found = [i for i, (key, _) in enumerate(headers) if key.lower() == b"vary"]
    if not found:
        return [*headers, (b"vary", b", ".join(names))]
    present: list[bytes] = []
    seen: set[bytes] = set()
    for name in [part.strip() for i in found for part in headers[i][1].split(b",")] + list(names):
        if name and name.lower() not in seen:
            seen.add(name.lower())
            present.append(name)
    merged = b"*" if b"*" in present else b", ".join(present)
    return [header for i, header in enumerate(headers) if i not in found] + [(b"vary", merged)]
