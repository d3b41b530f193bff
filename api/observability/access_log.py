"""The access line of every request, handed to logging's handlers in batches.

A line is logged by the `tributary.access` logger at INFO when its request ends (its time, its
request id, method, path, status and milliseconds are taken then), and handled with the lines of
the other requests that ended in the next few milliseconds (`BATCH_SECONDS`): through the same
handlers, filters and formatter as a `log.info` call, only several in a row. Handled one at a
time at the end of each request, the lines cost a server under load about a tenth of its
throughput on a small page: logging's handlers, the masking filter and the JSON formatter ran
cold after a request had been through everything else. In a row they run warm (docs/benchmarks.md
has the figures). The service's own handler (`logging_setup.JsonLines`, on stderr) writes a
batch's lines from their fields, without a record each, in one write and one flush under its
lock once; another plain stream handler gets the batch's records formatted and written the same
way; any other handler is handed each record as logging would. The app's shutdown writes what is
waiting, and so does the interpreter's exit.
"""
from __future__ import annotations

import asyncio
import atexit
import logging
import time
from collections.abc import Callable

from api.observability.logging_setup import record_time

log = logging.getLogger("tributary.access")
MESSAGE = "request"

# How long a line may wait for others: a few dozen lines a batch at a thousand requests a second,
# and no reader of a log notices the wait.
BATCH_SECONDS = 0.02


class AccessLog:
    """Lines waiting for their batch, each `(time_ns, request_id, method, path, status, ms)`;
    `flush` hands them to the logger's handlers now."""

    __slots__ = ("logger", "pending", "_loop")

    def __init__(self, logger: logging.Logger = log) -> None:
        self.logger = logger
        self.pending: list[tuple] = []
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop the batch's flush waits on

    def write(self, request_id: str, method: str, path: str, status: int, ms: float) -> None:
        if not self.logger.isEnabledFor(logging.INFO):
            return
        entry = (time.time_ns(), request_id, method, path, status, ms)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop to wait on: handled now, after any line still waiting
            self.pending.append(entry)
            self.flush()
            return
        if loop is not self._loop:
            # The first line of a batch, or lines whose loop has gone (a test's) without its
            # flush: those are written now, and this batch waits on this loop.
            self.flush()
            self._loop = loop
            loop.call_later(BATCH_SECONDS, self.flush)
        self.pending.append(entry)

    def flush(self) -> None:
        entries, self.pending, self._loop = self.pending, [], None
        if not entries:
            return
        logger = self.logger
        if logger.disabled:
            return
        records = None
        if logger.filters:  # the logger's own filters read records: every handler gets those that pass
            records = [record for record in map(self._record, entries) if logger.filter(record)]
        for handler in _handlers(logger):
            if records is None and handler.level <= logging.INFO:
                text = _written_directly(handler, logger.name, entries)
                if text is not None:
                    if text:
                        _write(handler, text, lambda: self._record(entries[-1]))
                    continue
            if records is None:
                records = list(map(self._record, entries))
            if type(handler).emit is logging.StreamHandler.emit:
                _write_together(handler, records)
            else:
                for record in records:
                    if record.levelno >= handler.level:
                        handler.handle(record)

    def _record(self, entry: tuple) -> logging.LogRecord:
        """The log record of an access line, of the time its request ended."""
        at, request_id, method, path, status, ms = entry
        record = self.logger.makeRecord(self.logger.name, logging.INFO, "(unknown file)", 0, MESSAGE, (), None, extra={
            "request_id": request_id, "method": method, "path": path, "status": status, "ms": ms})
        created, record.msecs = record_time(at)
        record.relativeCreated += (created - record.created) * 1000
        record.created = created
        return record


def _handlers(logger: logging.Logger) -> list[logging.Handler]:
    """The handlers `Logger.callHandlers` hands the logger's records to, in its order (logging's
    last resort when there is none)."""
    found: list[logging.Handler] = []
    current: logging.Logger | None = logger
    while current is not None:
        found += current.handlers
        current = current.parent if current.propagate else None
    if not found and logging.lastResort is not None:
        found.append(logging.lastResort)
    return found


def _written_directly(handler: logging.Handler, logger: str, entries: list[tuple]) -> str | None:
    """The text of the lines when the handler writes them from their fields (`JsonLines`), else
    None (their records are handled)."""
    access_lines = getattr(handler, "access_lines", None)
    if access_lines is None:
        return None
    try:
        return access_lines(logger, MESSAGE, entries)
    except RecursionError:
        raise
    except Exception:  # noqa: BLE001  (the records are handled instead, and report what fails)
        return None


def _write_together(handler: logging.StreamHandler, records: list[logging.LogRecord]) -> None:
    """What `handler.handle` does for each record (its level, its filters, its formatter), with
    the lines written to its stream in one write and one flush, under its lock once: one line
    at a time, the handler's lock, write and flush were about a quarter of an access line's time
    in a server under load."""
    lines = []
    for record in records:
        if record.levelno < handler.level or not handler.filter(record):
            continue
        try:
            lines.append(handler.format(record) + handler.terminator)
        except RecursionError:
            raise
        except Exception:  # noqa: BLE001  (as `StreamHandler.emit` reports a line it cannot write)
            handler.handleError(record)
    if lines:
        _write(handler, "".join(lines), lambda: records[-1])


def _write(handler: logging.StreamHandler, text: str, last: Callable[[], logging.LogRecord]) -> None:
    """`text` on the handler's stream in one write and one flush under its lock; a failure is
    reported as `StreamHandler.emit` reports it, with the batch's `last()` record."""
    handler.acquire()
    try:
        handler.stream.write(text)
        handler.flush()
    except RecursionError:
        raise
    except Exception:  # noqa: BLE001
        handler.handleError(last())
    finally:
        handler.release()


ACCESS_LOG = AccessLog()
atexit.register(ACCESS_LOG.flush)
