"""The profile page's block: each owner's newest public lists with their first entries (a work
once, whatever its formats), in one statement for any number of owners, and nothing private."""
from domain.lists import service as lists
from domain.lists import visibility
from domain.shared.db import Reader
from tests.api.lists.helpers import add, make_list, physical_products, work_formats
from tests.conftest import count_statements, make_client
from tests.fixtures.identity import account


async def test_public_lists_of_owners_is_one_statement_and_shows_only_public_lists(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada, bob, cy = (await account(http, db, "ada"), await account(http, db, "bob"),
                        await account(http, db, "cy"))
        hardcover, kindle = await work_formats(db)
        others = await physical_products(db, 6)
        for n in range(6):
            public = await make_list(ada, http, f"Public {n}", kind="NAMED", visibility="PUBLIC")
            await add(ada, http, public, [hardcover, kindle, *others])
        await add(ada, http, await make_list(ada, http, "Private", kind="NAMED"), others)
        await add(bob, http, await make_list(bob, http, "Bob's", kind="NAMED", visibility="PUBLIC"), others[:2])
        await add(bob, http, None, others)  # a private wish list
        reader = Reader(await db.direct())
        try:
            with count_statements() as counter:
                blocks = await lists.public_lists_of_owners(reader, [ada.account_id, bob.account_id, cy.account_id])
        finally:
            await reader.close()
        assert counter.count == 1
        assert [b.list.name for b in blocks[ada.account_id]] == [f"Public {n}" for n in (5, 4, 3, 2, 1)]
        first = blocks[ada.account_id][0]
        # Four entries: the work once (its first format), then three products.
        assert [i.product_id for i in first.items] == [hardcover, *others[:3]]
        assert [b.list.name for b in blocks[bob.account_id]] == ["Bob's"]
        assert [len(b.items) for b in blocks[bob.account_id]] == [2]
        assert blocks[cy.account_id] == []


def test_a_list_is_seen_by_its_owner_household_and_for_public_ones_anyone_the_owner_allows():
    see = visibility.may_view_list
    assert see(1, 1, "PRIVATE", is_member=False, owner_visible=False)
    assert see(2, 1, "PRIVATE", is_member=True, owner_visible=True)
    assert not see(2, 1, "PRIVATE", is_member=False, owner_visible=True)
    assert not see(None, 1, "PRIVATE", is_member=False, owner_visible=True)
    assert see(None, 1, "PUBLIC", is_member=False, owner_visible=True)
    assert not see(2, 1, "PUBLIC", is_member=False, owner_visible=False)
    assert not see(2, 1, "SHARED", is_member=False, owner_visible=True)
    assert see(2, 1, "SHARED", is_member=False, owner_visible=True, through_link=True)
