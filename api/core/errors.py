"""One place that turns failures into what clients see.

- Expected failures are typed `DomainError`s. In a mutation they become `userErrors` of the
  payload (`user_errors`); in a query they become a GraphQL error with `extensions.code =
  BAD_USER_INPUT` and `extensions.reason` = the stable domain code.
- Anything else is a bug: the client gets "Unexpected error." with an `errorId`, and the log
  gets the same id with the stack trace. No SQL or trace ever reaches a response.
"""
from __future__ import annotations

import logging
import uuid
from typing import Iterator

import strawberry
from asyncpg.exceptions import (
    CharacterNotInRepertoireError,
    QueryCanceledError,
    UntranslatableCharacterError,
)
from graphql import GraphQLError, OperationDefinitionNode
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from api.core.enums import ErrorCodes
from api.core.error_codes import UserErrorCode
from domain.shared.errors import DomainError, Forbidden, NotFound, Unauthenticated

log = logging.getLogger("tributary.errors")


@strawberry.interface(description="An expected failure of a mutation, with a stable code to act on and a message for people.")
class UserError:
    code: UserErrorCode = strawberry.field(description="Stable code to act on; the error type's `code` field lists the codes its mutations return.")
    message: str = strawberry.field(description="What went wrong, in words for the end user.")
    field: list[str] | None = strawberry.field(description="Path to the input field at fault, list indices included as strings, e.g. [\"input\", \"lines\", \"2\", \"quantity\"]; null when no one field is.")


def user_errors(error: DomainError, error_type: type, codes: ErrorCodes) -> list:
    """`userErrors` of a payload for a domain error. A code outside the mutation family's codes
    is a bug (the use case raised a code its mutation does not document), so it fails as one
    (the client gets "Unexpected error.") rather than passing for INVALID."""
    if error.code not in codes:
        raise LookupError(f"{codes.source.__name__} has no code {str(error.code)!r}")
    extra = {k: v for k, v in _snake(error.extensions).items() if k in getattr(error_type, "__annotations__", {})}
    return [error_type(code=UserErrorCode(error.code), message=error.message, field=error.field, **extra)]


def _snake(extensions: dict) -> dict:
    return {"".join("_" + c.lower() if c.isupper() else c for c in k): v for k, v in extensions.items()}


def _client_error(error: GraphQLError, cause: DomainError) -> GraphQLError:
    if isinstance(cause, Unauthenticated | Forbidden):
        code = cause.__class__.code
    else:
        code = "NOT_FOUND" if isinstance(cause, NotFound) else "BAD_USER_INPUT"
    extensions = {"code": code, "reason": cause.code, **cause.extensions}
    if cause.field:
        extensions["field"] = cause.field
    return GraphQLError(cause.message, nodes=error.nodes, path=error.path, extensions=extensions)


def _masked(error: GraphQLError) -> GraphQLError:
    error_id = uuid.uuid4().hex
    log.error("unexpected error %s at %s", error_id, error.path,
              exc_info=error.original_error, extra={"error_id": error_id})
    return GraphQLError("Unexpected error.", nodes=error.nodes, path=error.path,
                        extensions={"code": "INTERNAL_SERVER_ERROR", "errorId": error_id})


def _invalid_character(error: BaseException | None) -> bool:
    """Whether a text argument could not be stored or hashed: NUL (PostgreSQL text cannot hold
    it) or a lone surrogate (JSON can carry `\\ud800`, but it is not Unicode, so no encoding
    takes it), raised directly or wrapped by SQLAlchemy and the driver. Bad input, not a bug:
    the wrapped error would also carry the argument itself into the log."""
    while error is not None:
        if isinstance(error, CharacterNotInRepertoireError | UntranslatableCharacterError):
            return True
        if isinstance(error, UnicodeEncodeError) and error.reason == "surrogates not allowed":
            return True
        error = error.__cause__
    return False


def process_error(error: GraphQLError) -> GraphQLError:
    cause = error.original_error
    if cause is None or isinstance(cause, GraphQLError):
        return error  # syntax, validation and deliberate argument errors are the client's to read
    if isinstance(cause, DomainError):
        return _client_error(error, cause)
    if _invalid_character(cause):
        return GraphQLError("An argument contains a character that text cannot hold (such as NUL, \\u0000, or "
                            "half of a surrogate pair, \\ud800).",
                            nodes=error.nodes, path=error.path,
                            extensions={"code": "BAD_USER_INPUT", "reason": "INVALID_CHARACTER"})
    if isinstance(cause, QueryCanceledError):
        return GraphQLError("The request took too long and was cancelled; ask for less (smaller pages, narrower filters).",
                            nodes=error.nodes, path=error.path, extensions={"code": "TIMEOUT"})
    return _masked(error)


def execution_errors(errors: list[GraphQLError]) -> list[GraphQLError]:
    """The errors of an operation that was executed (or refused as it was about to be), as
    clients see them; one without a path is about the request's variables: BAD_USER_INPUT."""
    processed = [process_error(e) for e in errors]
    return [e if e.path else with_code(e, "BAD_USER_INPUT") for e in processed]


def failure(error: Exception) -> GraphQLError:
    """What a client sees of an exception raised around an operation (by an extension, not a
    resolver): "Unexpected error." with an `errorId`, logged with its stack trace."""
    return _masked(GraphQLError(str(error), original_error=error))


def with_code(error: GraphQLError, code: str) -> GraphQLError:
    """The error with `extensions.code` = `code`, unless it has a code already."""
    if error.extensions and "code" in error.extensions:
        return error
    return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path,
                        error.original_error, {**(error.extensions or {}), "code": code})


class ErrorHandling(SchemaExtension):
    """Applies `process_error` to every error of every operation, and codes the errors that
    graphql-core words without one by the step that raised them: GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED, and BAD_USER_INPUT for variables that do not fit their types."""

    executing = False

    def on_execute(self) -> Iterator[None]:
        self.executing = True
        yield

    def on_validate(self) -> Iterator[None]:
        # Strawberry runs the first operation of a document with several when no operationName
        # is given; GraphQL's "GetOperation" makes that a request error, raised before validation.
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is not None and ctx._provided_operation_name is None:  # noqa: SLF001  (strawberry names the first operation otherwise)
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if len(operations) > 1:
                raise GraphQLError("The document has several operations: name the one to run in `operationName`.",
                                   extensions={"code": "BAD_REQUEST", "reason": "OPERATION_NAME_REQUIRED"})
        yield

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        except GraphQLError as error:  # strawberry throws a document that does not parse through here
            if not error.extensions or "code" not in error.extensions:
                error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_PARSE_FAILED"}
            raise
        except (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError):
            raise  # the HTTP view answers these with 400
        except Exception as error:  # noqa: BLE001  (strawberry would send an extension's failure as it is)
            raise failure(error) from None
        ctx = self.execution_context
        result = ctx.result
        if result is not None and getattr(result, "errors", None):
            if ctx.graphql_document is None:
                errors = [with_code(process_error(e), "GRAPHQL_PARSE_FAILED") for e in result.errors]
            elif not self.executing:
                errors = [with_code(process_error(e), "GRAPHQL_VALIDATION_FAILED") for e in result.errors]
            else:
                errors = execution_errors(result.errors)
            result.errors = errors
