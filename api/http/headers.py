"""Small helpers for raw ASGI response headers (lists of lower-case byte pairs)."""
from __future__ import annotations


def add_vary(headers: list[tuple[bytes, bytes]], *names: bytes) -> list[tuple[bytes, bytes]]:
    """The headers with `names` added to their one `Vary` header (merged with any there, once
    each, case-insensitively), so that several layers can each say what their answer depends on."""
    found = [i for i, (key, _) in enumerate(headers) if key.lower() == b"vary"]
    if not found:
        return [*headers, (b"vary", b", ".join(names))]
    present = [part.strip() for i in found for part in headers[i][1].split(b",") if part.strip()]
    seen = {name.lower() for name in present}
    present += [name for name in dict.fromkeys(names) if name.lower() not in seen]
    merged = b"*" if b"*" in present else b", ".join(present)
    return [header for i, header in enumerate(headers) if i not in found] + [(b"vary", merged)]
