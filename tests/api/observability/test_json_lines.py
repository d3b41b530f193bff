"""The log lines' formatter writes what python-json-logger's orjson formatter writes for the same
record (it finds the extra fields its own way): the same fields, in the same order, renamed."""
import logging
import sys

from pythonjsonlogger.orjson import OrjsonFormatter

from api.observability.logging_setup import json_formatter


def _library_formatter() -> OrjsonFormatter:
    return OrjsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                           rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                           timestamp=False)


def _records() -> list[logging.LogRecord]:
    log = logging.getLogger("tributary.test")
    records = [
        log.makeRecord(log.name, logging.INFO, "f.py", 1, "request", (), None, extra={
            "method": "POST", "path": "/graphql", "status": 200, "ms": 1.25, "request_id": "abc"}),
        log.makeRecord(log.name, logging.WARNING, "f.py", 2, "%s of %d", ("one", 2), None,
                       extra={"_hidden": 1, "nested": {"a": [1, 2]}, "name_like": None}),
        log.makeRecord(log.name, logging.INFO, "f.py", 3, {"event": "as a mapping", "n": 1}, (), None),
    ]
    try:
        raise ValueError("boom")
    except ValueError:
        records.append(log.makeRecord(log.name, logging.ERROR, "f.py", 4, "failed", (), sys.exc_info(),
                                      extra={"error_id": "e1"}, sinfo="Stack (most recent call last): here"))
    numeric = log.makeRecord(log.name, logging.INFO, "f.py", 5, "numbered", (), None)
    numeric.__dict__[7] = "a numeric key"
    return [*records, numeric]


def test_every_line_is_the_librarys_line():
    ours, library = json_formatter(), _library_formatter()
    for record in _records():
        assert ours.format(record) == library.format(record)


def test_the_time_is_logging_s_own_across_seconds():
    ours, plain = json_formatter(), logging.Formatter()
    log = logging.getLogger("tributary.test")
    for created in (1_700_000_000.123, 1_700_000_000.987, 1_700_000_001.5, 1_700_000_000.25, 1_700_086_400.0):
        record = log.makeRecord(log.name, logging.INFO, "f.py", 1, "at", (), None)
        record.created, record.msecs = created, int((created - int(created)) * 1000)
        assert ours.formatTime(record) == plain.formatTime(record)
    assert ours.formatTime(record, "%H") == plain.formatTime(record, "%H")
