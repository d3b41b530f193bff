"""An operation's request (api/http/operation_request.py): its headers are Starlette's, found by
name in a dict, and its body is read from the ASGI messages as Starlette reads it."""
import pytest
from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect

from api.http.operation_request import OperationRequest, read_body

RAW = [(b"accept", b"application/json"), (b"x-tag", b"first"), (b"x-tag", b"second"), (b"authorization", b"Bearer t"),
       (b"x-name", "Zoë".encode("latin-1"))]


def test_headers_answer_as_starlettes_do():
    indexed = OperationRequest({"type": "http", "headers": list(RAW)}).headers
    plain = Headers(raw=list(RAW))
    for name in ("accept", "Accept", "X-TAG", "x-tag", "authorization", "if-none-match", "X-Api-Client-Key", "X-Name"):
        assert indexed.get(name) == plain.get(name), name
        assert indexed.get(name, "none") == plain.get(name, "none"), name
        assert (name in indexed) == (name in plain), name
    assert indexed["X-Tag"] == "first"
    assert indexed.getlist("x-tag") == ["first", "second"]
    assert dict(indexed.items()) == dict(plain.items())
    with pytest.raises(KeyError):
        indexed["if-none-match"]
    assert OperationRequest({"type": "http", "method": "POST", "headers": []}).method == "POST"


async def test_the_body_is_read_whole_or_the_disconnect_raised():
    def messages(*sent):
        queue = list(sent)

        async def receive():
            return queue.pop(0)
        return receive

    assert await read_body(messages({"type": "http.request", "body": b'{"query"', "more_body": True},
                                     {"type": "http.request", "body": b': "{ a }"}'})) == b'{"query": "{ a }"}'
    assert await read_body(messages({"type": "http.request"})) == b""
    with pytest.raises(ClientDisconnect):
        await read_body(messages({"type": "http.request", "body": b"{", "more_body": True}, {"type": "http.disconnect"}))
