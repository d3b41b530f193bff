"""Publishing an event: one row in the outbox and one notification, both in the caller's
transaction.

PostgreSQL delivers a NOTIFY only when its transaction commits, and drops it when it rolls back,
so listeners in every process (the WebSocket subscriptions) hear of committed changes alone. The
notification's payload is small (the event's id, kind, subject and customer; PostgreSQL caps it
at 8000 bytes): a listener reads what it shows after. The outbox row is what at-least-once
consumers (webhooks) read from, by id, and what a listener that missed a notification catches up
from."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events.kinds import EventKind

CHANNEL = "tributary_events"

_PUBLISH = text(
    "WITH e AS ("
    " INSERT INTO events (kind, subject_id, customer_id, seller_ids, data)"
    " VALUES (:kind, :subject, :customer, CAST(:sellers AS bigint[]), CAST(:data AS jsonb))"
    " RETURNING id)"
    " SELECT id, pg_notify(:channel, json_build_object("
    "   'id', id, 'kind', CAST(:kind AS text), 'subject', CAST(:subject AS bigint),"
    "   'customer', CAST(:customer AS bigint))::text) FROM e")


@dataclass(frozen=True, slots=True)
class Notice:
    """What a listener hears: enough to decide whether anyone here cares, and to read the rest."""

    id: int
    kind: EventKind
    subject_id: int
    customer_id: int | None


async def publish(session: AsyncSession, kind: EventKind, subject_id: int, *, customer_id: int | None = None,
                  seller_ids: Iterable[int] = (), data: dict | None = None) -> int:
    """Records the event in the caller's transaction (one statement); returns its id."""
    kind = EventKind(kind)
    row = await session.execute(_PUBLISH, {
        "kind": kind.value, "subject": subject_id, "customer": customer_id,
        "sellers": sorted(set(seller_ids)), "data": orjson.dumps(data or {}).decode(), "channel": CHANNEL,
    })
    return row.scalar_one()


def parse_notice(payload: str) -> Notice | None:
    """A notification's payload, or None when it is not one of ours (or of a kind this version
    does not know, during a rolling upgrade)."""
    try:
        raw = orjson.loads(payload)
        return Notice(int(raw["id"]), EventKind(raw["kind"]), int(raw["subject"]),
                      None if raw["customer"] is None else int(raw["customer"]))
    except (ValueError, KeyError, TypeError):
        return None


_PUBLISH_MANY = text(
    "WITH e AS ("
    " INSERT INTO events (kind, subject_id, customer_id, data)"
    " SELECT :kind, s, :customer, CAST(:data AS jsonb) FROM unnest(CAST(:subjects AS bigint[])) AS s"
    " RETURNING id, subject_id)"
    " SELECT id, pg_notify(:channel, json_build_object("
    "   'id', id, 'kind', CAST(:kind AS text), 'subject', subject_id,"
    "   'customer', CAST(:customer AS bigint))::text) FROM e")


async def publish_many(session: AsyncSession, kind: EventKind, subject_ids: Iterable[int], *,
                       customer_id: int | None = None, data: dict | None = None) -> list[int]:
    """One event per subject, of one kind and customer, in one statement (a batch of reading
    positions changes several licences at once); returns their ids."""
    subjects = sorted(set(subject_ids))
    if not subjects:
        return []
    rows = await session.execute(_PUBLISH_MANY, {
        "kind": EventKind(kind).value, "subjects": subjects, "customer": customer_id,
        "data": orjson.dumps(data or {}).decode(), "channel": CHANNEL,
    })
    return [row[0] for row in rows]
