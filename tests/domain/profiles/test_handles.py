"""Every account gets a profile with a handle from its name, however the account was created:
the first of a name takes the name's handle, the others add their account id, a name with no
Latin letters or a reserved one gets a handle all the same; the customer may then choose any
free handle. And the handle rules themselves."""
import re

import pytest

from domain.profiles import rules
from domain.shared.errors import DomainError
from tests.fixtures.db import connection

_ADD = ("INSERT INTO accounts (email, display_name, password_hash)"
        " SELECT 'h' || n || '-' || $2 || '@example.com', name, 'x' FROM unnest($1::text[]) WITH ORDINALITY AS t(name, n)"
        " RETURNING id, display_name")


async def test_accounts_inserted_together_each_get_a_unique_handle_from_their_name(writable_database):
    async with connection(writable_database) as conn:
        names = ["Zoë Ångström", "Zoë Ångström", "Zoë Ångström", "李小龙", "Support", "Al", "A very long name that"
                 " goes on and on"]
        added = await conn.fetch(_ADD, names, "bulk")
        handles = dict(await conn.fetch("SELECT account_id, handle FROM profiles WHERE account_id = ANY($1)",
                                        [r["id"] for r in added]))
        # One more of the same name, alone, later.
        later = (await conn.fetch(_ADD, ["Zoë Ångström"], "later"))[0]["id"]
        later_handle = await conn.fetchval("SELECT handle FROM profiles WHERE account_id = $1", later)
    ids = [r["id"] for r in added]
    assert handles[ids[0]] == "zoe-angstrom"
    assert [handles[i] for i in ids[1:3]] == [f"zoe-angstrom-{i}" for i in ids[1:3]]
    assert handles[ids[3]] == f"customer-{ids[3]}"
    assert handles[ids[4]] == f"support-{ids[4]}"
    assert handles[ids[5]] == f"al-{ids[5]}"
    assert handles[ids[6]] == "a-very-long-name-tha"
    assert later_handle == f"zoe-angstrom-{later}"
    assert all(rules.handle(h) == h for h in [*handles.values(), later_handle] if not h.startswith("support"))


async def test_a_handle_chosen_as_another_accounts_fallback_gets_a_random_suffix(writable_database):
    async with connection(writable_database) as conn:
        first, other = [r["id"] for r in await conn.fetch(_ADD, ["Mira K", "Someone Else"], "one")]
        coming = await conn.fetchval("SELECT nextval(pg_get_serial_sequence('accounts', 'id'))") + 1
        # Someone chose the very handle the next Mira would fall back to.
        await conn.execute("UPDATE profiles SET handle = $1 WHERE account_id = $2", f"mira-k-{coming}", other)
        mira = (await conn.fetch(_ADD, ["Mira K"], "two"))[0]["id"]
        handle = await conn.fetchval("SELECT handle FROM profiles WHERE account_id = $1", mira)
        assert await conn.fetchval("SELECT handle FROM profiles WHERE account_id = $1", first) == "mira-k"
    assert mira == coming
    assert re.fullmatch(rf"customer-{mira}-[0-9a-f]{{6}}", handle)


@pytest.mark.parametrize("given, stored", [("Ada_Reads", "ada_reads"), (" ada-b-3 ", "ada-b-3"), ("abc", "abc"),
                                           ("a" * 30, "a" * 30)])
def test_a_handle_is_stored_lower_case(given, stored):
    assert rules.handle(given) == stored


@pytest.mark.parametrize("given", ["ab", "a" * 31, "-ada", "ada-", "ada reads", "ada.reads", "adá", "admin", "ME"])
def test_a_bad_or_reserved_handle_is_refused(given):
    with pytest.raises(DomainError) as refused:
        rules.handle(given)
    assert refused.value.code in ("HANDLE_INVALID", "HANDLE_TAKEN") and refused.value.field == ["input", "handle"]


@pytest.mark.parametrize("url, ok", [("https://img.example.com/a.png", True), ("https://img.example.com", True),
                                     ("http://img.example.com/a.png", False), ("https://localhost/a.png", False),
                                     ("https://a@img.example.com/a.png", False), ("https://img.example.com/a b", False),
                                     ("data:image/png;base64,AAAA", False), ("//img.example.com/a.png", False)])
def test_a_photo_is_an_https_url(url, ok):
    if ok:
        assert rules.photo_url(url) == url
    else:
        with pytest.raises(DomainError):
            rules.photo_url(url)
