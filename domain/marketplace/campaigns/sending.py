"""The platform sends a brand campaign to the brand's followers, in batches, through the worker.

Two kinds of job. The start job (queued with the campaign) reviews the campaign once more,
then fixes its recipients: every follower of the brand at that moment who has turned off
neither the brand's messages nor all brand messages, numbered 1..n. A customer who follows the
brand later gets its next campaign, not this one. It then queues one batch job per
TRIBUTARY_BRAND_CAMPAIGN_BATCH_SIZE recipients, all in the start job's transaction: a crash
before its commit leaves the campaign SCHEDULED and the job to run again.

A batch job sends its range of recipients in one transaction of its own: it locks the
range's recipients not yet settled, sends each one still following without an opt-out its
message, marks them all settled (sent or skipped) and adds them to the campaign's counts; the
last batch to settle marks the campaign SENT. So each recipient is settled exactly once,
however batches are retried or spread over workers (a batch's rows are locked; a second run
finds them settled). A batch that crashes after sending and before its commit is sent again
under the same message ids (`brand-campaign-<campaign>-<account>`), which every e-mail sender
delivers at most once (`domain.notifications.email`): no recipient gets two messages.
"""
from __future__ import annotations

import logging
import math

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity import service as identity
from domain.jobs import service as jobs
from domain.marketplace.campaigns import links, rules
from domain.marketplace.campaigns.creation import BATCH_JOB
from domain.notifications import service as notifications
from domain.notifications.email import EmailSender
from domain.shared.config import Settings
from domain.shared.db import Database
from domain.shared.unit_of_work import UnitOfWork

log = logging.getLogger("tributary.marketplace.campaigns")

# Recipients are fixed in chunks of this many followers (in the follows' primary key order), each
# statement short whatever the brand's following: one statement for 100,000 followers can
# outlast the statement timeout on a busy server.
FIX_CHUNK = 5_000
_FIX_RECIPIENTS = text(
    "WITH fixed AS (INSERT INTO brand_campaign_recipients (campaign_id, account_id, position)"
    " SELECT :campaign, chunk.account_id, :before + row_number() OVER (ORDER BY chunk.account_id) FROM ("
    "  SELECT f.account_id FROM brand_follows f WHERE f.brand_id = :brand AND f.account_id > :after"
    "  AND f.opted_out_at IS NULL"
    "  AND NOT EXISTS (SELECT 1 FROM brand_message_opt_outs o WHERE o.account_id = f.account_id)"
    "  ORDER BY f.account_id LIMIT :chunk) chunk RETURNING account_id)"
    " SELECT count(*), max(account_id) FROM fixed")


async def _fix_recipients(session: AsyncSession, campaign_id: int, brand_id: int) -> int:
    """Numbers the brand's followers who want its messages 1..n as the campaign's recipients."""
    count, after = 0, 0
    while True:
        added, last = (await session.execute(_FIX_RECIPIENTS, {
            "campaign": campaign_id, "brand": brand_id, "before": count, "after": after, "chunk": FIX_CHUNK})).one()
        count += added
        if added < FIX_CHUNK:
            return count
        after = last


async def _rejected_at_start(session: AsyncSession, brand_id: int, product_ids: list[int]) -> list[str]:
    row = (await session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM brands b WHERE b.id = :brand AND b.archived_at IS NULL)"
        " AND EXISTS (SELECT 1 FROM brand_registrations r WHERE r.brand_id = :brand AND r.status = 'APPROVED'),"
        " (SELECT count(*) FROM products p WHERE p.id = ANY(:products) AND p.brand_id = :brand"
        "  AND p.archived_at IS NULL)"), {"brand": brand_id, "products": product_ids})).one()
    reasons = [] if row[0] else [rules.BRAND_GONE]
    if row[1] != len(product_ids):
        reasons.append(rules.PRODUCTS_GONE)
    return reasons


async def start(session: AsyncSession, campaign_id: int, batch_size: int) -> None:
    """The start job, in the worker's transaction: review again, fix the recipients, queue the
    batches. A campaign no longer SCHEDULED is left alone."""
    row = (await session.execute(text(
        "SELECT brand_id, product_ids FROM brand_campaigns WHERE id = :id AND status = 'SCHEDULED' FOR UPDATE"),
        {"id": campaign_id})).one_or_none()
    if row is None:
        return
    brand_id, product_ids = row
    reasons = await _rejected_at_start(session, brand_id, list(product_ids))
    if reasons:
        await session.execute(text(
            "UPDATE brand_campaigns SET status = 'REJECTED', rejection_reasons = CAST(:reasons AS text[])"
            " WHERE id = :id"), {"id": campaign_id, "reasons": reasons})
        return
    count = await _fix_recipients(session, campaign_id, brand_id)
    await session.execute(text(
        "UPDATE brand_campaigns SET recipients_count = :n, batch_size = :size, started_at = now(),"
        " status = CASE WHEN :n = 0 THEN 'SENT' ELSE 'SENDING' END::brand_campaign_status,"
        " finished_at = CASE WHEN :n = 0 THEN now() END WHERE id = :id"),
        {"id": campaign_id, "n": count, "size": batch_size})
    batches = math.ceil(count / batch_size)
    await jobs.enqueue_many(
        session, BATCH_JOB,
        [{"campaignId": campaign_id, "first": i * batch_size + 1, "last": min((i + 1) * batch_size, count)}
         for i in range(batches)],
        [f"brand-campaign:{campaign_id}:batch:{i + 1}" for i in range(batches)])
    log.info("brand campaign sending", extra={"campaign_id": campaign_id, "recipients": count, "batches": batches})


def message_id(campaign_id: int, account_id: int) -> str:
    """The same for every send of this campaign to this customer: a retried batch never
    delivers a second message."""
    return f"brand-campaign-{campaign_id}-{account_id}"


async def _content(session: AsyncSession, campaign_id: int):
    return (await session.execute(text(
        "SELECT c.brand_id, b.name, c.subject, c.body, coalesce((SELECT string_agg('- ' || p.title, E'\\n'"
        "   ORDER BY array_position(c.product_ids, p.id)) FROM products p WHERE p.id = ANY(c.product_ids)), '')"
        " FROM brand_campaigns c JOIN brands b ON b.id = c.brand_id WHERE c.id = :id"), {"id": campaign_id})).one()


async def send_batch(database: Database, sender: EmailSender, settings: Settings, campaign_id: int, first: int,
                     last: int) -> int:
    """A batch job: sends recipients `first`..`last` of the campaign their message, in one
    transaction of its own. Returns how many it settled (0 when a run before it committed)."""
    async with UnitOfWork(database) as uow:
        session = uow.session
        pending = [r[0] for r in (await session.execute(text(
            "SELECT account_id FROM brand_campaign_recipients WHERE campaign_id = :id"
            " AND position BETWEEN :first AND :last AND settled_at IS NULL ORDER BY position FOR UPDATE"),
            {"id": campaign_id, "first": first, "last": last})).all()]
        if not pending:
            return 0
        brand_id, brand_name, subject, body, products = await _content(session, campaign_id)
        # Whoever unfollowed or opted out after the recipients were fixed gets nothing.
        wanting = [r[0] for r in (await session.execute(text(
            "SELECT f.account_id FROM brand_follows f WHERE f.brand_id = :brand AND f.account_id = ANY(:ids)"
            " AND f.opted_out_at IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM brand_message_opt_outs o WHERE o.account_id = f.account_id)"),
            {"brand": brand_id, "ids": pending})).all()]
        emails = await identity.emails_of(session, wanting)
        secret = identity.signing_key(settings)
        delivered = []
        for account_id in wanting:
            to = emails.get(account_id)
            if to is None:
                continue
            opt_out = links.url(settings.public_url, secret, account_id, brand_id)
            await notifications.send_email(
                sender, message_id=message_id(campaign_id, account_id), to=to, template="brand_campaign",
                context={"brandName": brand_name, "subject": subject, "text": body,
                         "products": f"\n{products}\n" if products else "", "optOutUrl": opt_out},
                headers=(("List-Unsubscribe", f"<{opt_out}>"),
                         ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")))
            delivered.append(account_id)
        await session.execute(text(
            "UPDATE brand_campaign_recipients SET settled_at = now(), delivered = (account_id = ANY(:delivered))"
            " WHERE campaign_id = :id AND account_id = ANY(:pending)"),
            {"id": campaign_id, "delivered": delivered, "pending": pending})
        await session.execute(text(
            "UPDATE brand_campaigns SET delivered_count = delivered_count + :sent,"
            " skipped_count = skipped_count + :skipped,"
            " status = CASE WHEN delivered_count + skipped_count + :sent + :skipped >= recipients_count"
            "   THEN 'SENT' ELSE status END::brand_campaign_status,"
            " finished_at = CASE WHEN delivered_count + skipped_count + :sent + :skipped >= recipients_count"
            "   THEN now() END WHERE id = :id"),
            {"id": campaign_id, "sent": len(delivered), "skipped": len(pending) - len(delivered)})
        await uow.commit()
        return len(pending)
