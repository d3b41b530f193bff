"""E-mail: the message we send and the interface every delivery backend implements.

Delivery is at-least-once (the worker may retry a job whose send succeeded but whose
transaction did not commit), so every sender must be idempotent by `message_id`: sending a
message id a second time delivers nothing new.
"""
from __future__ import annotations

import asyncio
import email.policy
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage as MimeMessage
from email.parser import BytesParser
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from domain.shared import clock

# Safe as a file name and inside a Message-ID header.
_MESSAGE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


@dataclass(frozen=True, slots=True)
class EmailMessage:
    """One plain-text e-mail. `message_id` is stable across retries of the same send."""

    message_id: str
    to: str
    subject: str
    text: str
    # Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) on brand messages.
    headers: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not _MESSAGE_ID.match(self.message_id):
            raise ValueError(f"A message id has 1 to 200 letters, digits, '.', '_' or '-': {self.message_id!r}")

    def to_mime(self, sender: str, date: datetime | None = None) -> MimeMessage:
        """The message as an RFC 5322 e-mail (headers and a UTF-8 text body)."""
        mime = MimeMessage(policy=email.policy.default)
        mime["Message-ID"] = f"<{self.message_id}@tributary>"
        mime["Date"] = format_datetime(date or clock.now())
        mime["From"] = sender
        mime["To"] = self.to
        mime["Subject"] = self.subject
        for name, value in self.headers:
            mime[name] = value
        # 8bit keeps the text as written (links stay copyable from the raw file); lines
        # too long for it fall back to quoted-printable.
        longest = max((len(line.encode()) for line in self.text.splitlines()), default=0)
        mime.set_content(self.text, cte="8bit" if longest <= 998 else "quoted-printable")
        return mime


@runtime_checkable
class EmailSender(Protocol):
    """Delivers e-mails. `send` must be idempotent by `message.message_id`: a second call
    with an id already sent returns without sending again (retried jobs rely on it)."""

    async def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A message in the development mailbox, as a developer looks for it."""

    path: Path
    to: str
    subject: str
    date: str
    text: str


class FileMailbox:
    """Development sender: each message becomes `<directory>/<message_id>.eml`, a standard
    e-mail file any mail client (or `cat`) can open. The first write of an id wins; writing
    the same id again keeps the one file, even when two workers race."""

    def __init__(self, directory: Path, sender: str = "Tributary <no-reply@localhost>") -> None:
        self.directory = Path(directory)
        self.sender = sender

    def path_of(self, message_id: str) -> Path:
        return self.directory / f"{message_id}.eml"

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._write, message)

    def _write(self, message: EmailMessage) -> bool:
        """Writes the message unless its id is already there; True if it wrote."""
        target = self.path_of(message.message_id)
        if target.exists():
            return False
        self.directory.mkdir(parents=True, exist_ok=True)
        data = message.to_mime(self.sender).as_bytes()
        # Write aside, then link into place: the link fails if the id appeared meanwhile, and
        # a reader never sees a half-written file.
        fd, scratch = tempfile.mkstemp(dir=self.directory, prefix=".sending-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            try:
                os.link(scratch, target)
            except FileExistsError:
                return False
            return True
        finally:
            os.unlink(scratch)

    def newest(self, limit: int = 10) -> list[StoredMessage]:
        """The `limit` most recently written messages, newest first."""
        if not self.directory.is_dir():
            return []
        files = sorted(self.directory.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
        return [self.read(path) for path in files[:limit]]

    @staticmethod
    def read(path: Path) -> StoredMessage:
        with path.open("rb") as file:
            mime = BytesParser(policy=email.policy.default).parse(file)
        body = mime.get_body(preferencelist=("plain",))
        return StoredMessage(path=path, to=str(mime["To"]), subject=str(mime["Subject"]), date=str(mime["Date"]),
                             text=body.get_content() if body is not None else "")
