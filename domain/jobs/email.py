"""The outbox's own job: sending a queued e-mail (`domain.jobs.service.send_email`)."""
from __future__ import annotations

from datetime import UTC

from domain.jobs.registry import ClaimedJob, JobContext, PermanentFailure, Registry
from domain.jobs.service import SEND_EMAIL
from domain.notifications import service as notifications

handlers = Registry()


def email_message_id(job: ClaimedJob) -> str:
    """The e-mail's id, derived from its job: the same on every retry of the job (so a retry
    never sends a second, distinct message), distinct across jobs and across databases that
    reuse job ids. Starts with the time the job was queued, so a mailbox sorts by it."""
    return f"{job.created_at.astimezone(UTC):%Y%m%dT%H%M%S.%fZ}-job{job.id}"


@handlers.register(SEND_EMAIL)
async def send_email(ctx: JobContext) -> None:
    """Renders the template named in the payload and sends it through the configured sender."""
    payload = ctx.job.payload
    to, template, context = payload.get("to"), payload.get("template"), payload.get("context", {})
    secrets = payload.get("secrets", {})
    if not isinstance(to, str) or not isinstance(template, str) or not isinstance(context, dict) \
            or not isinstance(secrets, dict):
        raise PermanentFailure("An email.send job needs 'to' and 'template' strings and 'context' and 'secrets'"
                               " objects.")
    context = {**context, **secrets}
    try:
        await notifications.send_email(ctx.email, message_id=email_message_id(ctx.job), to=to, template=template,
                                       context=context)
    except notifications.TemplateError as error:
        raise PermanentFailure(str(error)) from error
