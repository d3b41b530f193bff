"""Argument types with their descriptions, shared by every field that takes them."""
from dataclasses import dataclass
from typing import Annotated, Optional

import strawberry

from domain.shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


@dataclass(frozen=True)
class PageSize:
    """Metadata (under `PAGE_SIZE`) of an argument that sets how many items a field returns: the
    static cost (api/limits/cost.py) checks it against `maximum` and multiplies by it (`default` when
    not given) before anything runs."""

    maximum: int = MAX_PAGE_SIZE
    default: int = DEFAULT_PAGE_SIZE


PAGE_SIZE = "page_size"
SUGGESTIONS = PageSize(maximum=20, default=8)

First = Annotated[Optional[int], strawberry.argument(description="Items to return from the start, or after `after`: 1-100 (default 20).", metadata={PAGE_SIZE: PageSize()})]
After = Annotated[Optional[str], strawberry.argument(description="Cursor of the item to start after.")]
Last = Annotated[Optional[int], strawberry.argument(description="Items to return before `before` (which it requires): 1-100.", metadata={PAGE_SIZE: PageSize()})]
Before = Annotated[Optional[str], strawberry.argument(description="Cursor of the item to stop before.")]
Reverse = Annotated[bool, strawberry.argument(description="Reverse the order of the sort key.")]
IdArg = Annotated[Optional[strawberry.ID], strawberry.argument(description="Global ID of the object.")]
SlugArg = Annotated[Optional[str], strawberry.argument(description="URL-safe unique name (at most 200 characters).")]
Query = Annotated[str, strawberry.argument(description="What the customer typed: at most 200 characters and 12 words. Every word must match (by stem, the last one also as the start of a word, as typed so far); punctuation is ignored.")]
Prefix = Annotated[str, strawberry.argument(description="What has been typed so far: whole words, then the start of the last one (at most 100 characters and 12 words).")]
SuggestionCount = Annotated[int, strawberry.argument(description="How many suggestions: 1-20.", metadata={PAGE_SIZE: SUGGESTIONS})]
Isbn = Annotated[Optional[str], strawberry.argument(description="ISBN-10 or ISBN-13, hyphens allowed.")]
NodeId = Annotated[strawberry.ID, strawberry.argument(description="A global ID.")]
NodeIds = Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs, at most 100.")]
# Every mutation takes one `input`; its type describes the limits of each field.
MutationInput = strawberry.argument(description="What to do; each field's description states its limits.")
