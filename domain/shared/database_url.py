"""One place that turns settings into the database URLs each driver wants."""
from __future__ import annotations

from sqlalchemy.engine import make_url

from domain.shared import embedded
from domain.shared.config import Settings


def resolve_url(settings: Settings) -> str:
    """A plain `postgresql://` URL: the configured server, or the embedded one (started here)."""
    if settings.database_url:
        return settings.database_url
    return embedded.ensure_database(settings.data_dir, settings.database_name)


def sqlalchemy_url(url: str) -> str:
    """The same URL with SQLAlchemy's asyncpg driver name."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def asyncpg_url(url: str) -> str:
    """The same URL without a SQLAlchemy driver suffix, as asyncpg expects."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def with_database(url: str, name: str) -> str:
    """The URL of another database on the same server."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)
