"""Masks secrets and personal data in log records before any handler writes them.

`api.observability.logging_setup.configure` puts a `RedactingFilter` on the one handler of every process
(server, worker, CLI), so a value that slipped into a message, its arguments, an extra field
or an exception's text is masked wherever it sits. Log calls should not pass such values in
the first place; this is the net under them. Rules and sensitive keys are configurable.
"""
from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePath
from typing import Any

MASK = "[REDACTED]"


@dataclasses.dataclass(frozen=True)
class Rule:
    """Text matching `pattern` is masked; the named group `keep`, when present, is kept.
    `trigger`, when given, is something every match contains (a regular expression, matched
    without case): text without it is left as it is without running the pattern."""

    name: str
    pattern: re.Pattern[str]
    trigger: str | None = None

    def apply(self, text: str) -> str:
        if "keep" in self.pattern.groupindex:
            return self.pattern.sub(_keep_then_mask, text)
        return self.pattern.sub(MASK, text)


def _keep_then_mask(match: re.Match[str]) -> str:
    quote = match.groupdict().get("quote") or ""
    return f"{match.group('keep')}{quote}{MASK}{quote}"


# Keys whose values are secrets or personal data wherever they appear: in extra fields and
# mappings (compared without case, `_` and `-`), and as `key=value` / `"key": "value"` in text.
SECRET_KEY_PARTS = ("password", "passwd", "secret", "token", "signature", "authorization", "cookie", "apikey",
                    "email")
ADDRESS_KEYS = ("fullname", "recipient", "line1", "line2", "street", "city", "region", "postalcode", "postcode",
                "zip", "zipcode", "phone", "address", "shippingaddress", "billingaddress")

_KEY_IN_TEXT = (r"[\w-]*(?:password|passwd|secret|token|signature|authorization|cookie|api_?key)[\w-]*"
                r"|full_?name|recipient|line[12]|street|city|region|postal_?code|postcode|zip_?code|phone")

DEFAULT_RULES: tuple[Rule, ...] = (
    # The password of a URL's user (`postgresql://user:secret@host/db`).
    Rule("url password", re.compile(r"(?P<keep>\b[a-z][a-z0-9+.-]*://[^\s:/@]*:)[^\s@/]+(?=@)", re.I), "://"),
    Rule("bearer token", re.compile(r"(?P<keep>\bbearer\s+)[\w.~+/=-]+", re.I), "bearer"),
    # Access tokens are JWTs: base64url JSON, so they start with `eyJ`.
    Rule("jwt", re.compile(r"\beyJ[\w-]{6,}(?:\.[\w-]*){0,2}"), "eyj"),
    # Refresh (`rt_`) and password reset (`pr_`) tokens (domain.identity.tokens.new_secret), list
    # share links (`sl_`) and household invitations (`li_`).
    Rule("opaque token", re.compile(r"\b(?:rt|pr|sl|li)_[\w-]{16,}"), "(?:rt|pr|sl|li)_"),
    Rule("password hash", re.compile(r"\$argon2(?:id|i|d)\$[\w$=,.+/-]+"), r"\$argon2"),
    Rule("e-mail address", re.compile(r"[\w.!#$%&*+?^~-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}\b"), "@"),
    # `key=value`, `key: value`, `"key": "value"` (JSON, reprs, query strings) for the keys
    # above; cart tokens and passwords have no shape of their own, only their key tells.
    Rule("keyed value", re.compile(
        rf"(?P<keep>\b(?:{_KEY_IN_TEXT})[\"']?\s*[:=]\s*)(?![\"']?{re.escape(MASK)})"
        r"(?:(?P<quote>[\"'])(?:\\.|(?!(?P=quote)).)+(?P=quote)|[^\s\"',;&)}\]]+)", re.I), "[:=]"),
)

_MAX_KNOWN_KEYS = 4096
# Text of these alone holds none of the default rules' triggers (`Redactor.trigger`: "://",
# "bearer", "eyj", "rt_"..., "$argon2", "@", ":" or "=", without case): a request id, a hash.
_HEX_DIGITS = "0123456789abcdefABCDEF"
_MAX_HEX_LENGTH = 128
_MAX_CLEAN_LENGTH = 16  # a request id (32 characters) is never seen twice: not kept

_PLAIN = (int, float, bool, type(None), decimal.Decimal, uuid.UUID, enum.Enum, PurePath,
          datetime.date, datetime.time, datetime.timedelta)


class Redactor:
    """Masks what `rules` match in text, and whole values under sensitive keys."""

    def __init__(self, rules: Iterable[Rule] = DEFAULT_RULES, secret_key_parts: Iterable[str] = SECRET_KEY_PARTS,
                 exact_keys: Iterable[str] = ADDRESS_KEYS) -> None:
        self.rules = tuple(rules)
        self.secret_key_parts = tuple(secret_key_parts)
        self.exact_keys = frozenset(exact_keys)
        # Most text (a path, a request id, "request") holds none of the rules' triggers: one
        # search then stands for all the rules (every log line is masked, an access line a request).
        triggers = [rule.trigger for rule in self.rules]
        self.trigger = (re.compile("|".join(f"(?:{trigger})" for trigger in triggers), re.I)
                        if self.rules and None not in triggers else None)
        self._sensitive: dict[object, bool] = {}
        # Other rules may mask hex text (a key of 32 hex digits): then every text is searched.
        self._hex_clean = self.rules == DEFAULT_RULES
        # Short texts found clean, as the access line repeats them ("request", "POST", "/graphql").
        self._clean: set[str] = set()

    def text(self, text: str) -> str:
        if text in self._clean:
            return text
        if self._hex_clean and len(text) <= _MAX_HEX_LENGTH and not text.strip(_HEX_DIGITS):
            return text  # hex digits alone (a request id): no default rule's trigger can be in them
        if self.trigger is not None and self.trigger.search(text) is None:
            if len(text) <= _MAX_CLEAN_LENGTH:
                if len(self._clean) >= _MAX_KNOWN_KEYS:
                    self._clean.clear()
                self._clean.add(text)
            return text
        for rule in self.rules:
            text = rule.apply(text)
        return text

    def sensitive_key(self, key: object) -> bool:
        known = self._sensitive.get(key) if isinstance(key, str) else None
        if known is not None:
            return known
        name = str(key).lower().replace("_", "").replace("-", "")
        sensitive = name in self.exact_keys or any(part in name for part in self.secret_key_parts)
        if isinstance(key, str) and len(self._sensitive) < _MAX_KNOWN_KEYS:
            self._sensitive[key] = sensitive  # extra fields' names: a few dozen in the code
        return sensitive

    def value(self, value: Any, key: object = None) -> Any:
        """`value` with secrets masked; containers keep their shape, other objects become
        their (masked) text, since a formatter would print their fields."""
        if key is not None:
            sensitive = self._sensitive.get(key) if key.__class__ is str else None
            if (sensitive if sensitive is not None else self.sensitive_key(key)) and value is not None and value != "":
                return MASK
        kind = value.__class__
        if kind is str:  # an access line's values (text, numbers) first, the clean texts seen before at once
            return value if value in self._clean else self.text(value)
        if kind is int or kind is float or value is None or isinstance(value, _PLAIN):
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {k: self.value(v, k) for k, v in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: self.value(getattr(value, f.name), f.name) for f in dataclasses.fields(value)}
        if isinstance(value, list | tuple | set | frozenset):
            return [self.value(v) for v in value]
        return self.text(repr(value))


# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class RedactingFilter(logging.Filter):
    """Rewrites each record with its message (arguments merged in), extra fields, exception
    and stack text masked. Put it on handlers: a logger's filter misses records that
    propagate from its children."""

    def __init__(self, redactor: Redactor | None = None,
                 format_exception: Callable[..., str] = logging.Formatter().formatException) -> None:
        super().__init__()
        self.redactor = redactor or Redactor()
        self.format_exception = format_exception

    def filter(self, record: logging.LogRecord) -> bool:
        redact = self.redactor
        if isinstance(record.msg, Mapping):
            record.msg = redact.value(record.msg)
        else:
            try:
                message = record.getMessage()
            except Exception:  # noqa: BLE001  (arguments that do not fit the message: keep the text)
                message = str(record.msg)
            record.msg = redact.text(message)
        record.args = None
        if "message" in record.__dict__:  # already formatted by an earlier handler
            record.message = record.msg
        for key in record.__dict__.keys() - _RECORD_ATTRIBUTES:
            record.__dict__[key] = redact.value(record.__dict__[key], key)
        if record.exc_info:
            record.exc_text = self.format_exception(record.exc_info)
            record.exc_info = None  # formatters would print the original text from it
        if record.exc_text:
            record.exc_text = redact.text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact.text(record.stack_info)
        return True
