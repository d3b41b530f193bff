"""The request object of an operation sent over HTTP: Starlette's, with its headers found by name
in a dict and its body read straight from the ASGI messages.

An operation's answer reads a handful of headers (Accept, Authorization, X-Api-Client-Key,
If-None-Match, the client's address for its budget), most of them absent. Starlette's `Headers`
scans the whole list for each name and raises KeyError for a missing one (which `get` catches);
here the list is indexed once. The body is read as Starlette reads it, without its async
generator (`read_body`).
"""
from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect, Request

# Header names as asked for (`Authorization`) to their raw form (`b"authorization"`): the code
# asks for a few dozen.
_NAMES: dict[str, bytes] = {}
_MAX_NAMES = 256


class IndexedHeaders(Headers):
    """Starlette's request headers (the first value of each name, as they give it), looked up by
    name in a dict; every other method is theirs."""

    def __init__(self, scope: Any) -> None:
        super().__init__(scope=scope)
        # Raw names to raw values, the first of a repeated name winning (the last write of the
        # reversed list): made in C, values decoded when read.
        self._index: dict[bytes, bytes] = dict(reversed(self._list))

    def get(self, key: str, default: Any = None) -> Any:
        name = _NAMES.get(key)
        if name is None:
            name = key.lower().encode("latin-1")
            if len(_NAMES) < _MAX_NAMES:
                _NAMES[key] = name
        value = self._index.get(name)
        return default if value is None else value.decode("latin-1")

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: Any) -> bool:
        return isinstance(key, str) and self.get(key) is not None


class OperationRequest(Request):
    """A request to the GraphQL endpoint over HTTP."""

    @property
    def method(self) -> str:  # read several times per request: without Starlette's `cast` call
        return self.scope["method"]

    @property
    def headers(self) -> Headers:
        indexed = self.__dict__.get("_indexed")
        if indexed is None:
            indexed = self._indexed = IndexedHeaders(self.scope)
        return indexed


async def read_body(receive: Any) -> bytes:
    """The request's whole body from its ASGI messages (once: the stream is then consumed);
    ClientDisconnect when the client goes away first, as Starlette's `Request.body` raises."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return chunks[0] if len(chunks) == 1 else b"".join(chunks)
        elif message["type"] == "http.disconnect":
            raise ClientDisconnect()
