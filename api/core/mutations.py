"""How every mutation runs: one transaction around one use case, domain errors as `userErrors`.

Authentication and authorization failures are not `userErrors`: they surface as top-level
errors coded UNAUTHENTICATED or FORBIDDEN, the same on every path (query or mutation)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from api.core.errors import user_errors
from domain.shared.errors import DomainError, Forbidden, Unauthenticated
from domain.shared.principal import ANONYMOUS, Principal
from domain.shared.unit_of_work import UnitOfWork

T = TypeVar("T")
UseCase = Callable[[AsyncSession, Principal], Awaitable[T]]


async def run(info: Info, use_case: UseCase[T], error_type: type, codes: type[Enum], *,
              needs_viewer: bool = True) -> tuple[T | None, list]:
    """(result, []) after a commit, or (None, userErrors) after a rollback. A domain error
    flagged `keep_changes` (a counted failed sign-in) commits what was written before it.
    `needs_viewer=False` is for sign-in style mutations, which must work with a stale token."""
    context = info.context
    principal = await context.viewer() if needs_viewer else ANONYMOUS
    async with UnitOfWork(context.database) as uow:
        try:
            result = await use_case(uow.session, principal)
        except (Unauthenticated, Forbidden):
            raise
        except DomainError as error:
            if error.keep_changes:
                await uow.commit()
            return None, user_errors(error, error_type, codes)
        await uow.commit()
    return result, []

