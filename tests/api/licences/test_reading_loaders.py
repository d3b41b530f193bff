"""Reading sync loaders, for fields under a licence: one statement per batch of licences however
many are asked for, and only the caller's own licences answer. Every code the use cases raise
is a member of `ReadingErrorCode`, and nothing else is."""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from api.context import LOADER_FACTORIES
from api.core.dataloaders import LoaderRegistry
from api.licences.reading_errors import ReadingErrorCode
from domain.licences import annotations, reading
from domain.shared.principal import Principal
from tests.api.licences.helpers import note_change, position_entry, sync, update
from tests.conftest import count_statements, make_client
from tests.fixtures.identity import account
from tests.fixtures.reading import device, licence

pytestmark = pytest.mark.one_copy_per_file


class _Request:
    """What a loader factory takes from a request: its caller."""

    def __init__(self, principal: Principal) -> None:
        self.principal = principal

    async def viewer(self) -> Principal:
        return self.principal


async def test_loaders_answer_many_licences_in_one_statement_each(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        stranger = await account(http, db, "stranger")
        books = [await licence(db, me.account_id) for _ in range(3)]
        theirs = await licence(db, stranger.account_id)
        kindle = await device(http, me)
        await update(me, http, kindle, [position_entry(b, 10 * (n + 1), -1) for n, b in enumerate(books)])
        await sync(me, http, kindle, [note_change(b, uuid.uuid4(), -1, startPosition=n, endPosition=n)
                                      for b in books for n in range(3)])
        await update(stranger, http, await device(http, stranger), [position_entry(theirs, 99, -1)])
    reader = await db.reader()
    try:
        request = _Request(Principal(account_id=me.account_id))  # held: the registry holds it weakly
        loaders = LoaderRegistry(reader, LOADER_FACTORIES, request)
        keys = [b.id for b in books] + [theirs.id]
        with count_statements() as counted:
            states = await loaders.reading_state_by_licence_id.load_many(keys)
        assert counted.count == 1
        assert [s and s.last_position for s in states] == [10, 20, 30, None]
        with count_statements() as counted:
            pages = await loaders.annotations_by_licence_id.load_many([(k, (False, 0, 2)) for k in keys])
        assert counted.count == 1
        assert [[a.start_position for a in p.items] for p in pages] == [[0, 1], [0, 1], [0, 1], []]
        assert [(p.total, p.has_next) for p in pages] == [(3, True), (3, True), (3, True), (0, False)]
    finally:
        await reader.close()


def test_every_code_the_use_cases_raise_is_a_reading_error_code():
    source = "".join(Path(module.__file__).read_text() for module in (reading, annotations))
    raised = set(re.findall(r'code=(?:Reading|LicenceState)ErrorCode\.([A-Z_]+)', source)) | {"INVALID"}
    if "NotFound(" in source:
        raised.add("NOT_FOUND")
    # Equal, not a subset: a code nothing raises would be documented for nothing.
    assert raised == {m.name for m in ReadingErrorCode.members()}
