"""`membership_benefits`: a member (trial, paid, in grace, cancelled before its end) has every
benefit, anyone else none; one statement on the read path and inside a use case, none for an
anonymous caller."""
import pytest

from domain.shared.unit_of_work import UnitOfWork
from domain.subscriptions import service as subscriptions
from tests.conftest import count_statements
from tests.fixtures.customer_service import new_customer
from tests.fixtures.subscriptions import benefits, member

pytestmark = pytest.mark.one_copy_per_file


async def test_a_member_has_the_benefits_and_a_customer_who_never_joined_has_none(writable_database, provider, now):
    db = writable_database
    customer, _ = await member(db, provider)
    stranger = await new_customer(db)
    reader = await db.reader()
    try:
        with count_statements() as counted:
            mine = await subscriptions.membership_benefits(reader, customer.account_id)
            theirs = await subscriptions.membership_benefits(reader, stranger.account_id)
            anonymous = await subscriptions.membership_benefits(reader, None)
    finally:
        await reader.close()

    assert (mine.is_member, mine.free_two_day, mine.member_prices, mine.digital_catalogue, mine.plan) == (
        True, True, True, True, "PRIME_MONTHLY")
    assert theirs == anonymous == subscriptions.NOT_A_MEMBER
    assert counted.count == 2


async def test_a_use_case_reads_the_benefits_as_its_first_statement(writable_database, provider, now):
    db = writable_database
    customer, _ = await member(db, provider)
    async with UnitOfWork(db) as uow:
        seen = await subscriptions.membership_benefits(uow.session, customer.account_id)
    assert seen.free_two_day is True
    assert (await benefits(db, customer.account_id)).is_member
