"""Alembic environment: runs migrations over the async engine against the configured URL."""
import asyncio

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

from domain.models import metadata
from domain.shared.database_url import sqlalchemy_url

config = context.config


def _include_object(obj, name, type_, reflected, compare_to):
    # Extension-owned objects are not ours to compare.
    return not (type_ == "table" and reflected and compare_to is None and name.startswith("pg_"))


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_async_engine(sqlalchemy_url(url), hide_parameters=True)  # no values in errors or logs
    async with engine.connect() as connection:
        await connection.run_sync(_configure)
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
else:
    asyncio.run(_run_online())
