"""Plain text as customers write it (reviews, questions, answers): stored exactly as given, never
rendered as HTML. Anything that looks like an HTML tag is refused rather than escaped or
stripped, so what is stored is what the author wrote, and no client can be tricked into
rendering markup."""
from __future__ import annotations

import re
from enum import StrEnum

from domain.shared.errors import DomainError

TAG = re.compile(r"<[A-Za-z/!?]")


def check_words(value: str | None, name: str, limit: int, codes: type[StrEnum], blank_hint: str = "") -> str | None:
    """A text as stored: None stays None; blank, HTML-like or too long is refused with the
    context's INVALID, TOO_LONG or HTML_NOT_ALLOWED code (`codes` has all three)."""
    if value is None:
        return None
    field = ["input", name]
    if not value.strip():
        raise DomainError(f"The {name} is blank{blank_hint}.", code=codes["INVALID"], field=field)
    if len(value) > limit:
        raise DomainError(f"The {name} has at most {limit:,} characters.", code=codes["TOO_LONG"], field=field)
    if TAG.search(value):
        raise DomainError(f"The {name} is plain text: HTML tags are not allowed (write '<' followed by a space).",
                          code=codes["HTML_NOT_ALLOWED"], field=field)
    return value
