"""Validation results kept per parsed document, found by the document's identity.

Strawberry's `ValidationCache` is an `lru_cache` keyed by the document itself, and graphql-core's
AST nodes are frozen dataclasses whose hash is computed anew from every child on each call: each
request walked its whole document to find the answer (7% of a product page's time). The parser
cache hands every request with the same text the same document object, so its identity is
the key here; an entry holds the document and the schema, so neither id can be reused while
the entry lives. Bounded like the parser cache, least recently used out first.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

# (id of the schema, id of the document, the rules) -> (schema, document, errors)
_results: OrderedDict[tuple, tuple[Any, Any, list]] = OrderedDict()


class DocumentValidationCache(SchemaExtension):
    """Validates each document once per schema and set of rules, as strawberry's cache does."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        schema, document, rules = context.schema._schema, context.graphql_document, context.validation_rules
        key = (id(schema), id(document), rules)
        entry = _results.get(key)
        if entry is None or entry[0] is not schema or entry[1] is not document:
            entry = _results[key] = (schema, document, validate_document(schema, document, rules))
            while len(_results) > self.maxsize:
                _results.popitem(last=False)
        else:
            _results.move_to_end(key)
        context.pre_execution_errors = entry[2]
        yield
