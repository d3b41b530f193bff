"""Moving a product's release date moves the pre-orders waiting for it: they are charged and
released on the new date (never on the old one), their shipments read the new dates, and their
customers are told once."""
import json
from datetime import UTC, datetime, timedelta

import pytest

from domain.carts.delivery import add_business_days
from domain.catalogue import service as catalogue
from domain.orders import service as orders
from domain.shared.errors import DomainError
from tests.api.carts.helpers import offer
from tests.domain.orders.test_refunds import THIRD_PARTY
from tests.fixtures.customer_service import committed, new_admin, new_customer, snapshot
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.jobs import RecordingSender, worker
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file

TODAY = datetime.now(UTC).date()
RELEASE = TODAY + timedelta(days=5)
LATER = TODAY + timedelta(days=40)
FOLLOW = "catalogue.release_date_changed"


async def _preorder(db, quantity: int = 1):
    customer = await new_customer(db)
    item = await offer(db, THIRD_PARTY)
    await execute(db, "UPDATE products SET release_date = $1 WHERE id = $2", RELEASE, item["product_id"])
    placed = await placed_order(db, customer.account_id, [(item["id"], quantity)])
    # As checkout estimates a pre-order: the option's business days counted from the release date.
    await execute(db, "UPDATE shipments SET estimated_delivery_date = $1 WHERE id = $2",
                  add_business_days(RELEASE, 5), placed.shipment_ids[0])
    return placed, item


async def _move(db, admin, product_id: int, day):
    return await committed(db, lambda s: catalogue.update_product(s, admin, product_id,
                                                                  catalogue.ProductFields(release_date=day)))


async def _shipment(db, shipment_id: int) -> dict:
    return dict((await fetch(db, "SELECT status::text AS status, release_date, estimated_delivery_date, captured_minor"
                                 " FROM shipments WHERE id = $1", shipment_id))[0])


@pytest.mark.own_copy
async def test_a_later_release_date_moves_the_charge_and_the_release(writable_database, provider):
    db = writable_database
    placed, item = await _preorder(db)
    [shipment] = placed.shipment_ids
    admin = await new_admin(db)

    await _move(db, admin, item["product_id"], LATER)
    # Announced in the same transaction as the change.
    [job] = await fetch(db, "SELECT payload FROM jobs WHERE kind = $1", FOLLOW)
    assert json.loads(job["payload"]) == {"productId": item["product_id"], "previousReleaseDate": RELEASE.isoformat(),
                                          "releaseDate": LATER.isoformat()}

    # The old date comes: nothing is charged or released, even before the customer was told.
    before = await snapshot(db)
    assert await committed(db, lambda s: orders.release_due_preorders(s, provider, RELEASE)) == 0
    assert await committed(db, lambda s: orders.release_due_preorders(s, provider, LATER - timedelta(days=1))) == 0
    assert await snapshot(db) == before

    sender = RecordingSender()
    await worker(db, sender).run_once()
    assert await _shipment(db, shipment) == {"status": "AWAITING_RELEASE", "release_date": LATER,
                                             "estimated_delivery_date": add_business_days(LATER, 5),
                                             "captured_minor": 0}
    [event] = await fetch(db, "SELECT kind, shipment_id, data FROM order_events WHERE order_id = $1 AND kind ="
                              " 'RELEASE_DATE_CHANGED'", placed.id)
    assert event["shipment_id"] == shipment
    [mail] = [m for m in sender.sent if "release date" in m.subject]
    assert mail.to == await fetchval(db, "SELECT email FROM orders WHERE id = $1", placed.id)
    assert f"moved from {RELEASE.isoformat()} to {LATER.isoformat()}" in mail.text
    assert add_business_days(LATER, 5).isoformat() in mail.text

    # The new date comes: released and charged.
    assert await committed(db, lambda s: orders.release_due_preorders(s, provider, LATER)) == 1
    released = await _shipment(db, shipment)
    assert (released["status"], released["release_date"]) == ("PENDING", LATER)
    assert await fetchval(db, "SELECT captured_minor FROM payments WHERE id = $1", placed.payment_id) == (
        placed.total_minor)


@pytest.mark.own_copy
async def test_an_earlier_date_is_due_on_it_and_the_customer_is_told_once(writable_database, provider):
    db = writable_database
    placed, item = await _preorder(db)
    [shipment] = placed.shipment_ids
    admin = await new_admin(db)
    # Two quick changes before the worker runs, the second back and forth: the customer had one
    # date before and has one after.
    await _move(db, admin, item["product_id"], LATER)
    await _move(db, admin, item["product_id"], TODAY)
    assert await fetchval(db, "SELECT count(*) FROM jobs WHERE kind = $1", FOLLOW) == 2

    assert await committed(db, lambda s: orders.follow_release_date(s, item["product_id"])) is False
    assert await committed(db, lambda s: orders.follow_release_date(s, item["product_id"])) is False
    assert (await _shipment(db, shipment))["release_date"] == TODAY
    mails = await fetch(db, "SELECT payload->'context' AS context FROM jobs WHERE payload->>'template' ="
                            " 'preorder_date_changed'")
    assert [json.loads(m["context"])["releaseDate"] for m in mails] == [TODAY.isoformat()]
    assert await fetchval(db, "SELECT count(*) FROM order_events WHERE order_id = $1 AND kind ="
                              " 'RELEASE_DATE_CHANGED'", placed.id) == 1

    assert await committed(db, lambda s: orders.release_due_preorders(s, provider, TODAY)) == 1
    assert (await _shipment(db, shipment))["status"] == "PENDING"
    # Released: a later change of the date no longer concerns this order.
    await _move(db, admin, item["product_id"], LATER)
    after = await snapshot(db, ("shipments", "order_events"))
    assert await committed(db, lambda s: orders.follow_release_date(s, item["product_id"])) is False
    assert await snapshot(db, ("shipments", "order_events")) == after


@pytest.mark.own_copy
async def test_a_refused_product_update_announces_nothing(writable_database):
    db = writable_database
    _, item = await _preorder(db)
    admin = await new_admin(db)
    before = await snapshot(db, ("jobs", "products"))
    with pytest.raises(DomainError):
        await committed(db, lambda s: catalogue.update_product(
            s, admin, item["product_id"], catalogue.ProductFields(release_date=LATER, title="")))
    assert await snapshot(db, ("jobs", "products")) == before
    await committed(db, lambda s: catalogue.update_product(
        s, admin, item["product_id"], catalogue.ProductFields(release_date=RELEASE, title="Same date, new title")))
    assert await fetchval(db, "SELECT count(*) FROM jobs WHERE kind = $1", FOLLOW) == 0
