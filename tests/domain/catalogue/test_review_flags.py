"""Product review flags: one open flag per product and reference, resolved once by an
administrator, listed for administrators only."""
import pytest

from domain.catalogue import service as catalogue
from domain.shared.errors import DomainError, Forbidden
from domain.shared.pagination import PageRequest
from domain.shared.principal import Principal
from tests.fixtures.customer_service import committed, new_admin, new_customer
from tests.fixtures.db import fetch, fetchval

pytestmark = pytest.mark.one_copy_per_file


async def _flag(db, product_id: int, reference: str | None, reason: str = "Wrong cover shown"):
    return await committed(db, lambda s: catalogue.flag_product(s, product_id, source="WRONG_ITEM", reason=reason,
                                                                reference=reference, reported_by=None))


async def test_flagging_a_product_again_for_the_same_reference_returns_the_open_flag(writable_database):
    db = writable_database
    first = await _flag(db, 1, "order-line:7")
    again = await _flag(db, 1, "order-line:7", reason="Another report")
    assert again.id == first.id and again.reason == "Wrong cover shown"
    other = await _flag(db, 1, "order-line:8")
    assert other.id != first.id
    admin = await new_admin(db)
    resolved = await committed(db, lambda s: catalogue.resolve_flag(s, admin, first.id, "Fixed the images"))
    assert (resolved.status, resolved.resolution_note, resolved.resolved_by) == ("RESOLVED", "Fixed the images",
                                                                                admin.account_id)
    # Once resolved, a new report of the same reference opens a new flag.
    reopened = await _flag(db, 1, "order-line:7")
    assert reopened.id not in (first.id, other.id)


@pytest.mark.own_copy
async def test_only_administrators_resolve_and_list_flags(writable_database):
    db = writable_database
    flag = await _flag(db, 2, "order-line:9")
    customer = await new_customer(db)
    staff = Principal(account_id=customer.account_id, seller_ids=frozenset({2}))
    for principal in (customer, staff):
        with pytest.raises(Forbidden):
            await committed(db, lambda s, p=principal: catalogue.resolve_flag(s, p, flag.id, "Done"))
        reader = await db.reader()
        try:
            with pytest.raises(Forbidden):
                await catalogue.open_flags(reader, principal, PageRequest())
        finally:
            await reader.close()
    assert await fetchval(db, "SELECT resolved_at FROM product_review_flags WHERE id = $1", flag.id) is None
    admin = await new_admin(db)
    with pytest.raises(DomainError) as refused:
        await committed(db, lambda s: catalogue.resolve_flag(s, admin, flag.id, " "))
    assert refused.value.code == "INVALID"
    await committed(db, lambda s: catalogue.resolve_flag(s, admin, flag.id, "Done"))
    with pytest.raises(DomainError) as refused:
        await committed(db, lambda s: catalogue.resolve_flag(s, admin, flag.id, "Done again"))
    assert refused.value.code == "FLAG_ALREADY_RESOLVED"
    rows = await fetch(db, "SELECT resolution_note FROM product_review_flags WHERE id = $1", flag.id)
    assert rows[0][0] == "Done"
    with pytest.raises(DomainError) as refused:
        await committed(db, lambda s: catalogue.resolve_flag(s, admin, flag.id + 1000, "Done"))
    assert refused.value.code == "NOT_FOUND"
    reader = await db.reader()
    try:
        open_page = await catalogue.open_flags(reader, admin, PageRequest())
        resolved_page = await catalogue.review_flags_page(reader, admin, "RESOLVED", PageRequest())
    finally:
        await reader.close()
    assert flag.id not in [f.id for f in open_page.items]
    assert [f.id for f in resolved_page.items] == [flag.id]
