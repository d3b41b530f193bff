"""The batched visibility rule other contexts call: for any number of owners one statement says
whose section a viewer may see (the owner always; a blocked viewer nothing of the blocker; a
private profile nothing to others; a PRIVATE section nothing to others)."""
from domain.profiles import service as profiles
from domain.profiles.statuses import ProfileSection
from tests.conftest import count_statements
from tests.fixtures.db import connection

_ADD = ("INSERT INTO accounts (email, display_name, password_hash)"
        " SELECT 'v' || n || '@visibility.example', 'V ' || n, 'x' FROM generate_series(1, $1) AS n RETURNING id")


async def test_one_statement_says_whose_sections_a_viewer_may_see(writable_database):
    async with connection(writable_database) as conn:
        viewer, public, private, lists_private, blocker, blocked_by_viewer, *many = [
            r["id"] for r in await conn.fetch(_ADD, 206)]
        await conn.execute("UPDATE profiles SET visibility = 'PRIVATE' WHERE account_id = $1", private)
        await conn.execute("UPDATE profiles SET lists_visibility = 'PRIVATE' WHERE account_id = $1", lists_private)
        await conn.execute("INSERT INTO profile_blocks (blocker_id, blocked_id) VALUES ($1, $2), ($3, $1)",
                           viewer, blocked_by_viewer, blocker)
        await conn.execute("UPDATE profiles SET visibility = 'PRIVATE', lists_visibility = 'PRIVATE'"
                           " WHERE account_id = $1", viewer)
    reader = await writable_database.reader()
    try:
        owners = [viewer, public, private, lists_private, blocker, blocked_by_viewer, *many, 10**12]
        with count_statements() as counter:
            lists = await profiles.visible_owners(reader, viewer, owners, ProfileSection.LISTS)
        reviews = await profiles.visible_owners(reader, viewer, owners, ProfileSection.REVIEWS)
        anonymous = await profiles.visible_owners(reader, None, owners, ProfileSection.LISTS)
        assert await profiles.is_blocked(reader, blocker, viewer)
        assert not await profiles.is_blocked(reader, viewer, blocker)
        assert await profiles.blocked_either_way(reader, viewer, blocker)
        assert await profiles.visible_owners(reader, viewer, [], ProfileSection.LISTS) == set()
    finally:
        await reader.close()
    assert counter.count == 1
    # Private themselves, the viewer still sees all of their own; the one they blocked still shows.
    assert lists == {viewer, public, blocked_by_viewer, *many}
    assert reviews == {viewer, public, lists_private, blocked_by_viewer, *many}
    assert anonymous == {public, blocker, blocked_by_viewer, *many}
