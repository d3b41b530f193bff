"""Argument types with their descriptions, shared by every field that takes them."""
from typing import Annotated, Optional

import strawberry

First = Annotated[Optional[int], strawberry.argument(description="Items to return from the start, or after `after`: 1-100 (default 20).")]
After = Annotated[Optional[str], strawberry.argument(description="Cursor of the item to start after.")]
Last = Annotated[Optional[int], strawberry.argument(description="Items to return before `before` (which it requires): 1-100.")]
Before = Annotated[Optional[str], strawberry.argument(description="Cursor of the item to stop before.")]
Reverse = Annotated[bool, strawberry.argument(description="Reverse the order of the sort key.")]
IdArg = Annotated[Optional[strawberry.ID], strawberry.argument(description="Global ID of the object.")]
SlugArg = Annotated[Optional[str], strawberry.argument(description="URL-safe unique name (at most 200 characters).")]
Query = Annotated[str, strawberry.argument(description="What the customer typed: at most 200 characters and 12 words; quotes, `or` and `-word` work as in web search.")]
Prefix = Annotated[str, strawberry.argument(description="The start of a word, as typed so far (at most 100 characters).")]
SuggestionCount = Annotated[int, strawberry.argument(description="How many suggestions: 1-20.")]
Isbn = Annotated[Optional[str], strawberry.argument(description="ISBN-10 or ISBN-13, hyphens allowed.")]
NodeId = Annotated[strawberry.ID, strawberry.argument(description="A global ID.")]
NodeIds = Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs, at most 100.")]
# Every mutation takes one `input`; its type describes the limits of each field.
MutationInput = strawberry.argument(description="What to do; each field's description states its limits.")
