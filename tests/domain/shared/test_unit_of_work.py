"""The transaction boundary: only an explicit commit keeps writes and runs after-commit work."""
import asyncpg
import pytest
from sqlalchemy import text

pytestmark = pytest.mark.one_copy_per_file


async def _brand_names(db) -> list[str]:
    conn = await asyncpg.connect(db.url)
    try:
        return [r[0] for r in await conn.fetch("SELECT name FROM brands WHERE slug LIKE 'uow-%'")]
    finally:
        await conn.close()


async def _add_brand(uow, slug: str) -> None:
    await uow.session.execute(
        text("INSERT INTO brands (id, name, slug) VALUES ((SELECT max(id) + 1 FROM brands), :n, :s)"),
        {"n": slug, "s": slug})


async def test_commit_keeps_the_write_and_runs_after_commit_work(writable_database):
    from domain.shared.unit_of_work import UnitOfWork

    ran = []
    async with UnitOfWork(writable_database) as uow:
        await _add_brand(uow, "uow-kept")

        async def notify():
            ran.append("sent")

        uow.after_commit(notify)
        assert ran == []
        await uow.commit()
    assert ran == ["sent"]
    assert await _brand_names(writable_database) == ["uow-kept"]


@pytest.mark.own_copy
async def test_leaving_without_commit_rolls_back_and_sends_nothing(writable_database):
    from domain.shared.unit_of_work import UnitOfWork

    ran = []
    with pytest.raises(RuntimeError):
        async with UnitOfWork(writable_database) as uow:
            await _add_brand(uow, "uow-lost")

            async def notify():
                ran.append("sent")

            uow.after_commit(notify)
            raise RuntimeError("a rule failed half-way")
    assert ran == []
    assert await _brand_names(writable_database) == []
