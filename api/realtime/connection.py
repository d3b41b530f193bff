"""The rules of a WebSocket connection (graphql-transport-ws): who it speaks for, how long, and
how much it may run.

- Credentials come in `connection_init`'s payload, `{"authorization": "Bearer <access token>"}`
  (the same tokens as over HTTP). None makes an anonymous connection (its subscriptions that need
  sign-in answer UNAUTHENTICATED); a bad, expired or signed-out token closes it with 4403.
- A signed-in connection closes with 4401 when its access token expires (clients reconnect with a
  refreshed one) and, within `ws_session_check_seconds`, when its session is signed out.
- An account holds at most `ws_connections_per_account` connections on a process (4429 past it);
  a connection runs at most `ws_subscriptions_per_connection` operations at once (more are
  refused with an `error` message).
- Each operation gets a context of its own (api/context.py `for_operation`): the connection's
  caller, and its own read connection and loaders, renewed per event and released while waiting.
"""
from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    _OperationStreamClosed,
)
from strawberry.utils.aio import aclosing

from api.core.errors import process_error
from domain.identity import service as identity
from domain.identity import tokens
from domain.identity.errors import TokenErrorCode
from domain.shared import clock
from domain.shared.db import Reader
from domain.shared.errors import Unauthenticated

log = logging.getLogger("tributary.realtime")

BAD_CREDENTIALS = 4403
SESSION_ENDED = 4401
TOO_MANY_CONNECTIONS = 4429


class CloseConnection(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


async def accept(context) -> None:
    """At `connection_init`: checks the credentials and counts the account's connection."""
    try:
        principal = await context.viewer()
    except Unauthenticated as refusal:
        raise CloseConnection(BAD_CREDENTIALS, f"Forbidden: {refusal.code}") from None
    finally:
        await context.release()
    if principal.signed_in:
        if not context.realtime.connect(principal.account_id, context.settings.ws_connections_per_account):
            raise CloseConnection(TOO_MANY_CONNECTIONS, "Too many connections for this account")
        context.counted_account = principal.account_id


class SubscriptionHandler(BaseGraphQLTransportWSHandler):
    """strawberry's graphql-transport-ws handler, with the rules above."""

    _watch: asyncio.Task | None = None

    async def handle_connection_init(self, message) -> None:
        try:
            await super().handle_connection_init(message)
        except CloseConnection as close:
            await self.websocket.close(code=close.code, reason=close.reason)
            return
        if self.connection_acknowledged and self.context.counted_account is not None:
            self._watch = asyncio.create_task(self._watch_session(), name="ws-session-watch")

    async def shutdown(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with suppress(asyncio.CancelledError):
                await self._watch
        if self.context.counted_account is not None:  # counted, even if the client left before the ack
            self.context.realtime.disconnect(self.context.counted_account)
            self.context.counted_account = None
        await super().shutdown()

    async def _watch_session(self) -> None:
        context = self.context
        settings = context.settings
        token = context.authorization().partition(" ")[2].strip()
        try:
            expires_at = tokens.read_access_token(tokens.signing_key(settings), token).expires_at
            while True:
                remaining = (expires_at - clock.now()).total_seconds()
                if remaining <= 0:
                    await self.websocket.close(code=SESSION_ENDED, reason="Access token expired")
                    return
                await asyncio.sleep(min(settings.ws_session_check_seconds, remaining))
                reader = Reader(context.reader.pool)
                try:
                    await identity.principal_for_token(reader, settings, token)
                finally:
                    await reader.close()
        except Unauthenticated as refusal:
            expired = refusal.code == TokenErrorCode.TOKEN_EXPIRED
            await self.websocket.close(code=SESSION_ENDED,
                                       reason="Access token expired" if expired else "Session signed out")
        except Exception:  # noqa: BLE001  (a failed check leaves the socket as it was; logged once)
            log.exception("session check of a WebSocket failed")

    async def run_operation(self, operation) -> None:
        # strawberry's run_operation, with a context per operation (see the module docstring).
        context = self.context.for_operation()
        try:
            result_source = await self.schema.stream(
                operation.query, variable_values=operation.variables, context_value=context,
                root_value=self.root_value, operation_name=operation.operation_name)
            async with aclosing(result_source):
                await self._send_result_stream(operation, _errors_processed(result_source))
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        except _OperationStreamClosed:
            return
        except Exception as error:
            await self.handle_task_exception(error)
            with suppress(Exception):
                await operation.send_operation_message({"id": operation.id, "type": "complete"})
            self.operations.pop(operation.id, None)
            raise
        finally:
            await context.release()



async def _errors_processed(results):
    """Each result with its errors as over HTTP (api/core/errors.py): a refused subscription's
    typed error, an unexpected one masked."""
    async for result in results:
        if getattr(result, "errors", None):
            result.errors = [process_error(error) for error in result.errors]
        yield result
