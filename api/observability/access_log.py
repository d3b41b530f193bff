"""The access line of every request, handed to logging's handlers in batches.

A line is a record of the `tributary.access` logger, made when its request ends (its time, its
request id), and handled with the lines of the other requests that ended in the next few
milliseconds (`BATCH_SECONDS`): the same records through the same handlers, filters and
formatter as a `log.info` call, only several in a row. Handled one at a time at the end of each
request, the lines cost a server under load about a tenth of its throughput on a small page:
logging's handlers, the masking filter and the JSON formatter ran cold after a request had been
through everything else. In a row they run warm (docs/benchmarks.md has the figures). A plain
stream handler (the service's own, on stderr) gets a batch's lines in one write and one flush,
under its lock once, where `Handler.handle` takes the lock, writes and flushes for each line;
any other handler is handed each record as logging would. The app's shutdown writes what is
waiting, and so does the interpreter's exit.
"""
from __future__ import annotations

import asyncio
import atexit
import logging

log = logging.getLogger("tributary.access")

# How long a line may wait for others: a few dozen lines a batch at a thousand requests a second,
# and no reader of a log notices the wait.
BATCH_SECONDS = 0.02


class AccessLog:
    """Records waiting for their batch; `flush` hands them to the logger's handlers now."""

    __slots__ = ("logger", "pending", "_loop")

    def __init__(self, logger: logging.Logger = log) -> None:
        self.logger = logger
        self.pending: list[logging.LogRecord] = []
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop the batch's flush waits on

    def write(self, request_id: str, method: str, path: str, status: int, ms: float) -> None:
        logger = self.logger
        if not logger.isEnabledFor(logging.INFO):
            return
        record = logger.makeRecord(logger.name, logging.INFO, "(unknown file)", 0, "request", (), None, extra={
            "request_id": request_id, "method": method, "path": path, "status": status, "ms": ms})
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop to wait on: handled now
            logger.handle(record)
            return
        if loop is not self._loop:
            # The first line of a batch, or lines whose loop has gone (a test's) without its
            # flush: those are written now, and this batch waits on this loop.
            self.flush()
            self._loop = loop
            loop.call_later(BATCH_SECONDS, self.flush)
        self.pending.append(record)

    def flush(self) -> None:
        records, self.pending, self._loop = self.pending, [], None
        if not records:
            return
        logger = self.logger
        if logger.disabled:
            return
        records = [record for record in records if logger.filter(record)]
        for handler in _handlers(logger):
            if type(handler).emit is logging.StreamHandler.emit:
                _write_together(handler, records)
            else:
                for record in records:
                    if record.levelno >= handler.level:
                        handler.handle(record)


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
    if not lines:
        return
    handler.acquire()
    try:
        handler.stream.write("".join(lines))
        handler.flush()
    except RecursionError:
        raise
    except Exception:  # noqa: BLE001
        handler.handleError(records[-1])
    finally:
        handler.release()


ACCESS_LOG = AccessLog()
atexit.register(ACCESS_LOG.flush)
