"""Why a plan or a run gives the operation to the stock executor."""
from __future__ import annotations


class Unsupported(Exception):  # noqa: N818  (a reason, not a failure)
    """The planner does not compile this operation; `reason` labels the metric."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Bail(Exception):  # noqa: N818
    """A value the compiled run does not complete itself (a null for a non-null field, a value a
    scalar refuses, an unexpected runtime type): graphql-core reports it, after a stock run."""
