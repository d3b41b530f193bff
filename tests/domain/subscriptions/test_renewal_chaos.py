"""A worker whose connection dies after the payment provider charged and before its commit (a
crashed process, a cut network) leaves nothing behind; the next run asks the provider again with
the same idempotency key and gets the first charge back: one charge, one period advance."""
import pytest

from tests.fixtures import chaos
from tests.fixtures.db import fetchval
from tests.fixtures.subscriptions import charges, member, membership, provider_charges, renew

pytestmark = pytest.mark.one_copy_per_file


async def test_a_worker_killed_after_the_provider_charged_leaves_nothing_and_the_rerun_charges_once(
        writable_database, provider, now):
    db = writable_database
    _, membership_id = await member(db, provider)
    before = await membership(db, membership_id)
    now.advance(days=31)

    killed = await chaos.kill_when_blocked(db.url, "LOCK TABLE membership_charges IN SHARE MODE",
                                           run=lambda: renew(db, provider))

    assert killed.error is not None
    assert await membership(db, membership_id) == before
    assert len(await charges(db, membership_id)) == 1
    # The provider charged before the crash, and keeps it (as a real one would).
    assert [c["outcome"] for c in await provider_charges(db, membership_id)] == ["SUCCEEDED", "SUCCEEDED"]

    assert (await renew(db, provider)).renewed == 1

    assert [c["outcome"] for c in await provider_charges(db, membership_id)] == ["SUCCEEDED", "SUCCEEDED"]
    assert await fetchval(db, "SELECT count(*) FROM test_provider_operations WHERE kind = 'CAPTURE'") == 2
    row = await membership(db, membership_id)
    assert (row["current_period_start"], row["period_index"]) == (before["current_period_end"], 2)
    assert len(await charges(db, membership_id)) == 2
