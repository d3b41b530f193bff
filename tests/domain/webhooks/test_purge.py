"""The hourly purge: finished deliveries and passed outbox events older than the log's days go;
what is recent, still being tried or not yet dispatched stays. Looks at whole tables: a copy of its own."""
from domain.events.kinds import EventKind
from domain.shared.principal import Principal
from domain.shared.unit_of_work import UnitOfWork
from domain.webhooks import service as webhooks
from tests.api.webhooks.helpers import fetch, fetchval, published
from tests.fixtures.webhooks import SETTINGS


async def test_the_purge_removes_old_finished_deliveries_and_dispatched_events(private_database):
    db = private_database
    admin = await fetchval(db, "INSERT INTO accounts (email, display_name, password_hash)"
                               " VALUES ('purge-ops@example.com', 'Ops', 'x') RETURNING id")
    async with UnitOfWork(db) as uow:
        made = await webhooks.create_webhook(uow.session, Principal(account_id=admin, is_admin=True), SETTINGS,
                                             url="https://93.184.215.14/hooks", events=["REVIEW_CREATED"], query=None,
                                             secret=None, seller_id=None, check_document=lambda *a: None)
        await uow.commit()
    old, recent, undispatched = [await published(db, EventKind.REVIEW_CREATED, n) for n in (1, 2, 3)]
    await fetch(db, "UPDATE webhook_dispatch_cursor SET last_event_id = $1", recent)
    await fetch(db, "UPDATE events SET created_at = now() - interval '40 days' WHERE id IN ($1, $2)", old, undispatched)
    await fetch(db, "INSERT INTO webhook_deliveries (webhook_id, event_id, event_kind, status, retry_until, finished_at)"
                    " VALUES ($1, $2, 'review.created', 'SUCCEEDED', now(), now() - interval '31 days'),"
                    " ($1, $3, 'review.created', 'SUCCEEDED', now(), now() - interval '1 day'),"
                    " ($1, NULL, 'webhook.ping', 'PENDING', now() + interval '1 day', NULL)",
                made.webhook_id, old, recent)

    async with UnitOfWork(db) as uow:
        purged = await webhooks.purge(uow.session, SETTINGS)
        await uow.commit()

    assert purged["deliveries"] == 1
    assert [r["event_id"] for r in await fetch(db, "SELECT event_id FROM webhook_deliveries ORDER BY id")] == [recent, None]
    kept = {r["id"] for r in await fetch(db, "SELECT id FROM events WHERE id = ANY($1::bigint[])",
                                         [old, recent, undispatched])}
    assert kept == {recent, undispatched}  # an event the dispatcher has not passed stays, however old
