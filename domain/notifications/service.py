"""Sending notifications: render a template and hand the message to the configured sender."""
from __future__ import annotations

import logging

from domain.notifications.email import EmailMessage, EmailSender, FileMailbox
from domain.notifications.templates import TemplateError, render
from domain.shared.config import Settings

__all__ = ["EmailMessage", "EmailSender", "TemplateError", "email_sender", "mailbox", "send_email"]

log = logging.getLogger("tributary.notifications")


def mailbox(settings: Settings) -> FileMailbox:
    """The development mailbox: `TRIBUTARY_DATA_DIR/mail/`."""
    return FileMailbox(settings.data_dir / "mail", sender=settings.email_from)


def email_sender(settings: Settings) -> EmailSender:
    """The sender chosen by `TRIBUTARY_EMAIL_BACKEND`."""
    if settings.email_backend == "files":
        box = mailbox(settings)
        if not settings.development:
            log.warning("e-mails are written to files, not delivered", extra={"directory": str(box.directory)})
        return box
    raise ValueError(f"Unknown e-mail backend {settings.email_backend!r}.")


async def send_email(sender: EmailSender, *, message_id: str, to: str, template: str, context: dict,
                     headers: tuple[tuple[str, str], ...] = ()) -> EmailMessage:
    """Renders `template` with `context` and sends it once under `message_id` (sending the
    same id again delivers nothing new). Raises TemplateError for an unknown template or a
    missing context field."""
    rendered = render(template, context)
    message = EmailMessage(message_id=message_id, to=to, subject=rendered.subject, text=rendered.text, headers=headers)
    await sender.send(message)
    return message
