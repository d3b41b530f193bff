"""A graphql-transport-ws client over a real WebSocket (the `websockets` library), as a browser's
graphql-ws client speaks it."""
from __future__ import annotations

import asyncio
import contextlib
import itertools

import orjson
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

PROTOCOL = "graphql-transport-ws"
WAIT = 10.0

ORDER = """subscription($id: ID!) { orderUpdated(orderId: $id) { id status shipments { status trackingNumber } } }"""
READING = """subscription($id: ID!) { readingStateChanged(licenceId: $id) { lastPosition furthestPosition } }"""
UPDATE_READING = """mutation($input: UpdateReadingStateInput!) { updateReadingState(input: $input) {
  userErrors { code field } } }"""
SHIP = """mutation($input: MarkShipmentShippedInput!) { markShipmentShipped(input: $input) {
  shipment { status } userErrors { code } } }"""


class Socket:
    """One connection: `send`, `subscribe`, then `next(id)` for what arrives for an operation."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self._ids = itertools.count(1)
        self._by_id: dict[str, asyncio.Queue] = {}
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for raw in self.ws:
                message = orjson.loads(raw)
                if "id" in message:
                    self._queue(message["id"]).put_nowait(message)

    def _queue(self, op_id: str) -> asyncio.Queue:
        return self._by_id.setdefault(op_id, asyncio.Queue())

    async def send(self, message: dict) -> None:
        await self.ws.send(orjson.dumps(message).decode())

    async def subscribe(self, query: str, variables: dict | None = None) -> str:
        op_id = str(next(self._ids))
        await self.send({"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}})
        return op_id

    async def next(self, op_id: str, timeout: float = WAIT) -> dict:
        return await asyncio.wait_for(self._queue(op_id).get(), timeout)

    def pending(self, op_id: str) -> int:
        return self._queue(op_id).qsize()

    async def data(self, op_id: str, timeout: float = WAIT) -> dict:
        message = await self.next(op_id, timeout)
        assert message["type"] == "next" and "errors" not in message["payload"], message
        return message["payload"]["data"]

    async def closed(self, timeout: float = WAIT) -> tuple[int, str]:
        """The close code and reason, once the server closes."""
        await asyncio.wait_for(self._reader, timeout)
        await asyncio.wait_for(self.ws.wait_closed(), timeout)
        return self.ws.close_code, self.ws.close_reason


@contextlib.asynccontextmanager
async def socket(base_url: str, token: str | None = None, *, init: dict | None = None, ack: bool = True):
    """A connection to `base_url`'s /graphql, initialised with the token (or `init` as payload)."""
    url = base_url.replace("http://", "ws://") + "/graphql"
    async with connect(url, subprotocols=[PROTOCOL], max_size=None) as ws:
        payload = init if init is not None else ({"authorization": f"Bearer {token}"} if token else {})
        await ws.send(orjson.dumps({"type": "connection_init", "payload": payload}).decode())
        if ack:
            reply = orjson.loads(await asyncio.wait_for(ws.recv(), WAIT))
            assert reply["type"] == "connection_ack", reply
        client = Socket(ws)
        try:
            yield client
        finally:
            client._reader.cancel()
