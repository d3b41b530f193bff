"""Access lines are written in batches a few milliseconds after their requests end: the same
records, with their own request ids and times, in the order the requests ended; none is lost
when the loop they waited on goes away, nor when the app shuts down."""
import asyncio
import contextlib
import io
import logging
import time

import pytest

from api.observability import access_log
from api.observability.access_log import AccessLog
from api.observability.logging_setup import json_formatter, json_handler, request_id


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def kept():
    logger = logging.getLogger("tributary.test-access")
    handler = Kept()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, handler
    logger.removeHandler(handler)


async def test_lines_of_one_batch_are_handled_together_after_it_in_order(kept):
    logger, handler = kept
    lines = AccessLog(logger)
    lines.write("r1", "POST", "/graphql", 200, 1.5)
    lines.write("r2", "GET", "/healthz", 200, 0.25)
    assert handler.records == []  # waiting for the batch
    await asyncio.sleep(access_log.BATCH_SECONDS * 3)
    assert [(r.request_id, r.method, r.path, r.status, r.ms) for r in handler.records] == [
        ("r1", "POST", "/graphql", 200, 1.5), ("r2", "GET", "/healthz", 200, 0.25)]
    assert handler.records[0].created <= handler.records[1].created
    lines.write("r3", "POST", "/graphql", 400, 2.0)  # a new batch after the last one's flush
    await asyncio.sleep(access_log.BATCH_SECONDS * 3)
    assert [r.request_id for r in handler.records] == ["r1", "r2", "r3"]


async def test_a_line_is_written_as_the_json_formatter_writes_it_with_its_own_request_id(kept):
    logger, handler = kept
    lines = AccessLog(logger)
    token = request_id.set("another-request")
    try:
        lines.write("abc123", "POST", "/graphql", 200, 1.25)
    finally:
        request_id.reset(token)
    lines.flush()
    [record] = handler.records
    written = json_formatter().format(record)
    assert written.startswith('{"time":"')
    assert written.endswith('"level":"INFO","logger":"tributary.test-access","message":"request",'
                            '"request_id":"abc123","method":"POST","path":"/graphql","status":200,"ms":1.25}')


def test_lines_left_by_a_loop_that_went_away_are_written_by_the_next_line(kept):
    logger, handler = kept
    lines = AccessLog(logger)

    async def one(rid: str) -> None:
        lines.write(rid, "POST", "/graphql", 200, 1.0)

    asyncio.run(one("first"))  # its loop closes before the batch's flush
    assert handler.records == []
    asyncio.run(one("second"))
    assert [r.request_id for r in handler.records] == ["first"]
    lines.flush()
    assert [r.request_id for r in handler.records] == ["first", "second"]


def test_without_a_running_loop_a_line_is_handled_at_once(kept):
    logger, handler = kept
    AccessLog(logger).write("now", "GET", "/metrics", 200, 0.5)
    assert [r.request_id for r in handler.records] == ["now"]


async def test_a_disabled_logger_makes_no_record(kept):
    logger, handler = kept
    logger.setLevel(logging.WARNING)
    lines = AccessLog(logger)
    lines.write("r", "POST", "/graphql", 200, 1.0)
    assert lines.pending == []


async def test_the_apps_shutdown_writes_the_lines_still_waiting(database, caplog):
    from api.app import create_app
    from tests.fixtures.settings import settings

    app = create_app(settings(), database=database)
    with caplog.at_level(logging.INFO, logger="tributary.access"):
        async with app.router.lifespan_context(app):
            from bench.in_process import post

            status, _ = await post(app, "/graphql", {"query": "{ __typename }"}, {"x-request-id": "shutdown-check"})
            assert status == 200
            assert not [r for r in caplog.records if getattr(r, "request_id", None) == "shutdown-check"]
        assert [r.status for r in caplog.records if getattr(r, "request_id", None) == "shutdown-check"] == [200]


class Writes(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


@contextlib.contextmanager
def logging_to(handler: logging.Handler, name: str):
    """A logger of its own at INFO whose records go to `handler` alone."""
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield logger
    finally:
        logger.removeHandler(handler)


@pytest.mark.parametrize("level", [logging.INFO, logging.WARNING])
async def test_a_stream_handler_gets_a_batch_in_one_write_with_its_level_and_filters(level):
    stream = Writes()
    handler = logging.StreamHandler(stream)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(request_id)s %(status)s"))
    handler.addFilter(lambda record: record.status != 404)
    with logging_to(handler, "tributary.test-access-stream") as logger:
        lines = AccessLog(logger)
        for rid, status in (("r1", 200), ("r2", 404), ("r3", 500)):
            lines.write(rid, "POST", "/graphql", status, 1.0)
        lines.flush()
    if level == logging.INFO:
        assert (stream.getvalue(), stream.writes) == ("r1 200\nr3 500\n", 1)
    else:  # an access line is INFO: a handler at WARNING writes none
        assert (stream.getvalue(), stream.writes) == ("", 0)


class _FailsOn201(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if record.status == 201:
            raise ValueError("this line cannot be written")
        return super().format(record)


async def test_a_line_that_cannot_be_formatted_is_reported_and_the_others_written(monkeypatch):
    stream = Writes()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_FailsOn201("%(request_id)s %(status)s"))
    reported: list = []
    monkeypatch.setattr(handler, "handleError", reported.append)
    with logging_to(handler, "tributary.test-access-broken") as logger:
        lines = AccessLog(logger)
        lines.write("r1", "POST", "/graphql", 200, 1.0)
        lines.write("r2", "POST", "/graphql", 201, 1.0)
        lines.flush()
    assert stream.getvalue() == "r1 200\n"
    assert [record.status for record in reported] == [201]


# Lines whose fields the masking filter rewrites (a refresh token sent as the request id, a
# bearer token as the method, a keyed secret in the path), beside plain ones.
_REFRESH_TOKEN = "rt_Zm9vYmFyYmF6cXV4cXV1eA"
_LINES = [
    ("0f3c9a7e5b1d4c2a8e6f0b9d7c5a3e1f", "POST", "/graphql", 200, 1.25),
    (_REFRESH_TOKEN, "GET", "/graphql", 400, 0.5),
    ("r3", "GET", "/downloads/12/34?token=abcdef", 404, 12.0),
    ("r4", "Bearer c2VjcmV0", "/graphql", 500, 1000.125),
    ("r5", "PATCH", "/healthz", 405, 0.0),
]


async def test_the_services_handler_writes_lines_as_their_records_would_be_written():
    stream = Writes()
    with logging_to(json_handler(stream), "tributary.test-access-direct") as logger:
        lines = AccessLog(logger)
        for line in _LINES:
            lines.write(*line)
        entries = list(lines.pending)
        lines.flush()
    # The same handler's records, filtered and formatted one by one as `Handler.handle` would.
    handler = json_handler(io.StringIO())
    records = [lines._record(entry) for entry in entries]
    expected = "".join(handler.format(record) + "\n" for record in records if handler.filter(record))
    assert (stream.getvalue(), stream.writes) == (expected, 1)
    written = stream.getvalue()
    assert _REFRESH_TOKEN not in written and "abcdef" not in written and "c2VjcmV0" not in written
    assert written.count("[REDACTED]") == 3


async def test_the_services_handler_set_otherwise_writes_through_records():
    stream = Writes()
    handler = json_handler(stream)
    handler.setFormatter(logging.Formatter("%(request_id)s %(status)s %(message)s"))
    with logging_to(handler, "tributary.test-access-reset") as logger:
        lines = AccessLog(logger)
        lines.write("r1", "POST", "/graphql", 200, 1.0)
        lines.write(_REFRESH_TOKEN, "POST", "/graphql", 200, 1.0)
        lines.flush()
    assert (stream.getvalue(), stream.writes) == ("r1 200 request\n[REDACTED] 200 request\n", 1)


async def test_a_line_has_the_time_its_request_ended_not_its_batchs(kept):
    logger, handler = kept
    lines = AccessLog(logger)
    before = time.time()
    lines.write("r1", "POST", "/graphql", 200, 1.0)
    after = time.time()
    await asyncio.sleep(access_log.BATCH_SECONDS * 3)
    [record] = handler.records
    assert before - 0.001 <= record.created <= after + 0.001
    assert 0 <= record.msecs < 1000
