"""No "Did you mean ...?" outside development mode.

Strawberry's `disable_field_suggestions` drops suggestions of fields only; graphql-core also
suggests arguments, types, enum values and input fields, and those suggestions are enough to
rebuild the schema that disabled introspection hides. This removes every one of them and
keeps the rest of the message, which still names what was wrong ("Unknown argument 'frist'
on field 'Query.products'.")."""
from __future__ import annotations

import re
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

# graphql-core's wording (graphql.pyutils.did_you_mean): " Did you mean [the enum value ]'A', or 'B'?"
# Quoted names are GraphQL names, which cannot hold a question mark.
_SUGGESTION = re.compile(r" Did you mean [^?]*\?")


class NoSuggestions(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in (getattr(result, "errors", None) or ()) if result is not None else ():
            if "Did you mean" in error.message:
                error.message = _SUGGESTION.sub("", error.message)
