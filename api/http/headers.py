"""Small helpers for raw ASGI response headers (lists of lower-case byte pairs)."""
from __future__ import annotations


def add_vary(headers: list[tuple[bytes, bytes]], *names: bytes) -> list[tuple[bytes, bytes]]:
    """The headers with `names` added to their one `Vary` header (merged with any there, once
    each, case-insensitively), so that several layers can each say what their answer depends on."""
    present: list[bytes] = []
    rest = []
    for key, value in headers:
        if key.lower() == b"vary":
            present.extend(part.strip() for part in value.split(b",") if part.strip())
        else:
            rest.append((key, value))
    seen = {name.lower() for name in present}
    for name in names:
        if name.lower() not in seen:
            present.append(name)
            seen.add(name.lower())
    if b"*" in present:
        present = [b"*"]
    return [*rest, (b"vary", b", ".join(present))] if present else rest
