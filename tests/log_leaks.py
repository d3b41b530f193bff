"""Fails the run when any log record written during it carries personal data or a secret.

Every record made while the suite runs (any logger, any level: the root logger is at DEBUG for
the run) is formatted as the service writes it, *before* redaction, and searched for e-mail
addresses, Argon2 hashes, JWTs and the suite's test passwords. Redaction is the net; this
check finds the log call to fix. Records are taken where loggers make them, so the check also
sees records of loggers that do not propagate and of code (the CLI) that replaces the root
logger's handlers. Loaded by tests/conftest.py, so it runs for any part of the suite; under
pytest-xdist every worker checks its own records and the controller reports them all.
"""
from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from api.observability.logging_setup import json_formatter
from tests.api.identity.helpers import PASSWORD

LEAKS = {
    "an e-mail address": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}\b"),
    "an Argon2 password hash": re.compile(r"\$argon2(?:id|i|d)\$"),
    "a JWT": re.compile(r"\beyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]+"),
    "an API client key": re.compile(r"\btk_[\w-]{40,}"),
    "a list share link or household invitation": re.compile(r"\b(?:sl|li)_[\w-]{40,}"),
}
# Every password the tests send (the identity tests' constants and literals).
TEST_PASSWORDS = (PASSWORD, "a brand new passphrase", "another pass phrase", "a long admin passphrase",
                  "a-long-passphrase", "not the password")
# Where an xdist worker hands its findings to the controller.
_OUTPUT_KEY = "log_leaks"


@dataclass
class _Finding:
    count: int = 0
    first_test: str = ""


@dataclass(eq=False)  # a plugin object: compared and hashed by identity
class LeakCheck:
    """What leaked, by logger and kind; never the value itself."""

    current_test: str = "(before the first test)"
    findings: dict[tuple[str, str], _Finding] = field(default_factory=lambda: defaultdict(_Finding))

    def __post_init__(self) -> None:
        self._formatter = json_formatter()

    def scan(self, record: logging.LogRecord) -> None:
        text = self._text(record)
        kinds = [kind for kind, pattern in LEAKS.items() if pattern.search(text)]
        if any(password in text for password in TEST_PASSWORDS):
            kinds.append("a test password")
        for kind in kinds:
            finding = self.findings[(record.name, kind)]
            finding.count += 1
            finding.first_test = finding.first_test or self.current_test

    def _text(self, record: logging.LogRecord) -> str:
        try:
            return self._formatter.format(record)
        except Exception:  # noqa: BLE001  (a record the formatter cannot take is still searched)
            return " ".join(map(str, (record.msg, record.args, record.__dict__, record.exc_info)))

    def report(self) -> str:
        lines = ["Log records carry personal data or secrets (fix the log call; the values are not shown):"]
        for (logger, kind), finding in sorted(self.findings.items()):
            lines.append(f"  logger {logger!r}: {kind} in {finding.count} record(s), first during "
                         f"{finding.first_test}")
        return "\n".join(lines)


    # -- pytest hooks (the check is registered as a plugin for the run) ---------------------

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self.current_test = nodeid

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if hasattr(session.config, "workeroutput"):  # an xdist worker: its controller reports
            session.config.workeroutput[_OUTPUT_KEY] = [
                (logger, kind, finding.count, finding.first_test) for (logger, kind), finding in self.findings.items()]
        if self.findings:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:
        """Under xdist, each worker's findings join the controller's, which fails the run."""
        for logger, kind, count, first_test in getattr(node, "workeroutput", {}).get(_OUTPUT_KEY, []):
            finding = self.findings[(logger, kind)]
            finding.count += count
            finding.first_test = finding.first_test or first_test

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.findings:
            terminalreporter.section("log leaks", red=True)
            terminalreporter.line(self.report(), red=True)


_restore_key = pytest.StashKey[tuple]()


def pytest_configure(config: pytest.Config) -> None:
    check = LeakCheck()
    make_record = logging.Logger.makeRecord

    def make_and_scan(self, *args, **kwargs):
        record = make_record(self, *args, **kwargs)  # extra fields and exc_info are on it by now
        check.scan(record)
        return record

    root = logging.getLogger()
    config.stash[_restore_key] = (make_record, root.level)
    logging.Logger.makeRecord = make_and_scan
    root.setLevel(logging.DEBUG)
    config.pluginmanager.register(check, "log-leak-check")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _restore_key in config.stash:
        make_record, level = config.stash[_restore_key]
        logging.Logger.makeRecord = make_record
        logging.getLogger().setLevel(level)
