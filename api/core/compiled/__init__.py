"""Compiled execution of query operations.

A query document is planned once per (document, operation, values of the variables its
`@skip`/`@include` read): its selection sets flattened with fragments and aliases, each field
bound to its resolver, its coerced arguments (when no variable feeds them) and a completer
built for its type. Running the plan then does, per field, only what the result needs.

graphql-core stays the validator and the reference: what the planner does not support is
served by the stock executor, and so is any operation that raises while running compiled
(queries have no side effects; the request's loaders keep what the first run loaded), so
errors, their paths and null propagation are graphql-core's own.
"""
from api.core.compiled.context import CompiledExecutionContext

__all__ = ["CompiledExecutionContext"]
