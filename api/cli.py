"""`tributary serve | worker | recommend | mail | migrate | seed | import | create-admin | export-schema`, and the
`api-clients` and `documents` groups (api/cli_clients.py)."""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from pathlib import Path

import click

from api.cli_clients import api_clients_group, documents_group
from api.observability.logging_setup import configure
from domain.bootstrap import job_registry, schedule_housekeeping
from domain.catalogue.import_rows import ImportFileError
from domain.catalogue.imports import count_rows, import_lines
from domain.identity import service as identity
from domain.jobs.worker import Stats, Worker
from domain.licences import service as licences
from domain.notifications import service as notifications
from domain.payments import service as payments
from domain.recommendations import service as recommendations
from domain.seed.service import grow as grow_demo_data
from domain.seed.service import seed as seed_demo_data
from domain.shared.config import get_settings
from domain.shared.database_url import asyncpg_url, resolve_url
from domain.shared.db import Database
from domain.shared.errors import DomainError
from domain.shared.unit_of_work import UnitOfWork


def _database_url() -> str:
    """The configured server's URL, or the embedded server's (started, kept until exit)."""
    return asyncpg_url(resolve_url(get_settings()))


def _stop_on_sigterm() -> None:
    # Leave through SystemExit so the embedded server is stopped by the exit handlers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


async def _count_products(url: str) -> int:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT count(*) FROM products")
    finally:
        await conn.close()


async def _seed(url: str, scale: int, books: int | None, merchandise: int | None, customers: int | None = None) -> dict:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return await seed_demo_data(conn, scale=scale, books_limit=books, merchandise=merchandise,
                                    customers_limit=customers, progress=lambda msg: click.echo(f"  {msg}", err=True))
    finally:
        await conn.close()


async def _grow(url: str, products: int) -> int:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return await grow_demo_data(conn, products, progress=lambda msg: click.echo(f"  {msg}", err=True))
    finally:
        await conn.close()


async def _demo_content(url: str, settings) -> int:
    """The seeded titles' content files (e-books and streams), written where the content store
    keeps them if missing."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return await licences.ensure_demo_files(conn, licences.content_store_for(settings))
    finally:
        await conn.close()


def _migrate(url: str) -> None:
    from migrations.runner import upgrade

    upgrade(url)


@click.group()
def main() -> None:
    """Tributary: GraphQL headless commerce backend."""
    configure(get_settings().log_level)


@main.command()
@click.option("--host", default=None, help="Interface to bind (default TRIBUTARY_HOST, 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default TRIBUTARY_PORT, 8000).")
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
@click.option("--workers", default=1, show_default=True, help="Worker processes.")
def serve(host: str | None, port: int | None, reload: bool, workers: int) -> None:
    """Serve the API. In development mode, migrate and seed an empty database first."""
    import uvicorn

    _stop_on_sigterm()
    settings = get_settings()
    url = _database_url()
    os.environ["TRIBUTARY_DATABASE_URL"] = url  # reload and worker processes use the same server
    get_settings.cache_clear()
    if settings.development:
        _migrate(url)
        if settings.seed_on_start and asyncio.run(_count_products(url)) == 0:
            click.echo("Empty database: loading the demo catalogue and customers (under a minute)...", err=True)
            started = time.monotonic()
            counts = asyncio.run(_seed(url, 1, settings.seed_books, None, settings.seed_customers))
            click.echo(f"Seeded {counts.get('products', 0)} products in {time.monotonic() - started:.0f}s.", err=True)
        written = asyncio.run(_demo_content(url, settings))
        if written:
            click.echo(f"Wrote {written} demo content files (e-books and streams) to {settings.content_root}.", err=True)
    host = host or settings.host
    port = port or settings.port
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    if settings.development:
        click.echo(f"\n  GraphiQL: http://{shown}:{port}/graphql\n", err=True)
    uvicorn.run("api.asgi:app", host=host, port=port, reload=reload, workers=workers,
                loop="asyncio", http="httptools", access_log=False, log_config=None,
                lifespan="on", proxy_headers=False, ws="websockets", ws_max_size=settings.ws_max_message_bytes)  # the app reads forwarded headers (TRIBUTARY_TRUSTED_PROXIES)


async def _recommend(url: str):
    database = Database(url, pool_size=1)
    try:
        async with UnitOfWork(database) as uow:
            stats = await recommendations.run_job(uow.session, k=get_settings().recommendations_top_k)
            await uow.commit()
        return stats
    finally:
        await database.close()


@main.command()
def recommend() -> None:
    """Train the recommendations now (what the worker's nightly job does) and replace their tables."""
    s = asyncio.run(_recommend(_database_url()))
    click.echo(f"Trained on {s.customers} customers: {s.items} items with {s.related} related items, "
               f"{s.together} bought-together pairs, in {s.seconds} s (peak memory {s.peak_mib} MiB).")


@main.command()
def migrate() -> None:
    """Upgrade the database to the newest migration."""
    _migrate(_database_url())
    click.echo("Database is at the newest migration.")


@main.command()
@click.option("--scale", default=1, show_default=True, type=click.IntRange(1, 400),
              help="Multiply the generated merchandise (20 gives 100,000+ products, 400 two million; "
                   "past 100,000 items they are made inside PostgreSQL).")
@click.option("--books", default=None, type=click.IntRange(1, 10000),
              help="Load only the first N real books (default all 10,000).")
@click.option("--merchandise", default=None, type=click.IntRange(0, 2_000_000),
              help="Generated merchandise count (default 5,000 x scale).")
@click.option("--customers", default=None, type=click.IntRange(0, 2672),
              help="Load only the first N demo customers, with their orders and reviews (default all 2,672).")
@click.option("--grow-to", "grow_to", default=None, type=click.IntRange(1, 3_000_000),
              help="Instead of seeding: add generated merchandise to an already seeded database until it "
                   "holds N products (with offers and search documents).")
def seed(scale: int, books: int | None, merchandise: int | None, customers: int | None,
         grow_to: int | None) -> None:
    """Load the deterministic demo data into an empty database (migrating it first)."""
    url = _database_url()
    _migrate(url)
    started = time.monotonic()
    if grow_to is not None:
        try:
            added = asyncio.run(_grow(url, grow_to))
        except RuntimeError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Added {added} products in {time.monotonic() - started:.1f}s.")
        return
    try:
        counts = asyncio.run(_seed(url, scale, books, merchandise, customers))
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
    for table, n in counts.items():
        click.echo(f"{table:>20}: {n}")
    click.echo(f"Demo e-book files written: {asyncio.run(_demo_content(url, get_settings()))}.")
    click.echo(f"Seeded in {time.monotonic() - started:.1f}s.")


async def _work(url: str, concurrency: int, once: bool):
    """Runs the job worker against `url`: drains due jobs (`once`), or works until a signal."""
    settings = get_settings()
    database = Database(url, pool_size=concurrency + 1, statement_timeout_ms=settings.statement_timeout_ms)
    provider = None
    try:
        if not await _has_jobs_table(database):
            raise click.ClickException("The database has no job table yet: run `tributary migrate` first.")
        provider = payments.provider_for(settings, url)
        worker = Worker(database, handlers=job_registry(), email=notifications.email_sender(settings),
                        settings=settings, payments=provider)
        if once:
            total = Stats()
            for stats in await asyncio.gather(*(worker.run_once() for _ in range(concurrency))):
                total.add(stats)
            return total
        # Housekeeping that keeps itself going once started (each run queues the next).
        async with UnitOfWork(database) as uow:
            await schedule_housekeeping(uow.session)
            await uow.commit()
        running = asyncio.current_task()
        assert running is not None

        def on_signal() -> None:
            if worker.stopping:  # a second signal: stop now; the running jobs roll back and stay queued
                running.cancel()
                return
            click.echo("Stopping after the current jobs (signal again to stop at once)...", err=True)
            worker.stop()

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, on_signal)
        click.echo(f"Worker running ({concurrency} at a time); Ctrl-C stops it.", err=True)
        with contextlib.suppress(asyncio.CancelledError):
            await worker.run(concurrency)
        return None
    finally:
        if provider is not None:
            await provider.close()
        await database.close()


async def _import(url: str, path: Path, fmt: str, dry_run: bool, batch_size: int):
    def lines():
        # Read from the start at each call. utf-8-sig drops the byte-order mark spreadsheet
        # programs write; newline="" is what the csv module needs.
        with path.open(encoding="utf-8-sig", newline="") as file:
            yield from file

    total = count_rows(lines(), fmt)
    database = Database(url, pool_size=2)
    try:
        with click.progressbar(length=total, label="Importing" if not dry_run else "Checking",
                               show_pos=True, file=sys.stderr) as bar:
            return await import_lines(database, lines, fmt, dry_run=dry_run, batch_size=batch_size,
                                      on_batch=lambda result: bar.update(result.processed))
    finally:
        await database.close()


async def _has_jobs_table(database) -> bool:
    pool = await database.read_pool()
    async with pool.acquire() as conn:
        return await conn.fetchval("SELECT to_regclass('jobs') IS NOT NULL")


@main.command()
@click.option("--concurrency", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Jobs run at once (each on its own connection); run more processes to scale further.")
@click.option("--once", is_flag=True, help="Run the jobs that are due now, then exit.")
def worker(concurrency: int, once: bool) -> None:
    """Run queued jobs (e-mails and other after-commit work). SIGTERM or Ctrl-C lets the
    current jobs finish first. Any number of workers may run against one database."""
    stats = asyncio.run(_work(_database_url(), concurrency, once))
    if stats is not None:
        ran = stats.done + stats.retried + stats.failed
        click.echo(f"Ran {ran} job{'' if ran == 1 else 's'}: {stats.done} done, {stats.retried} to retry later, "
                   f"{stats.failed} failed.")


@main.command()
@click.option("--last", default=10, show_default=True, type=click.IntRange(1, 1000),
              help="How many of the newest e-mails to list.")
@click.option("--body", is_flag=True, help="Also print each e-mail's text (with its links).")
def mail(last: int, body: bool) -> None:
    """List the newest e-mails of the development mailbox (TRIBUTARY_DATA_DIR/mail/), newest first."""
    box = notifications.mailbox(get_settings())
    messages = box.newest(last)
    if not messages:
        click.echo(f"No e-mails in {box.directory} yet.")
        return
    for message in messages:
        click.echo(f"{message.date}  To: {message.to}  Subject: {message.subject}\n  {message.path}")
        if body:
            click.echo("\n".join(f"    {line}" for line in message.text.rstrip().splitlines()) + "\n")


def _write_errors(path: Path, errors) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "field", "code", "message"])
        for e in errors:
            writer.writerow([e.row, e.field or "", e.code, e.message])


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default=None,
              help="File format (default: from the file's extension, .csv or .jsonl).")
@click.option("--dry-run", is_flag=True, help="Validate every row and report errors; write nothing.")
@click.option("--errors-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the row errors to this CSV file (row, field, code, message).")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 5000),
              help="Rows per transaction.")
def import_products(file: Path, fmt: str | None, dry_run: bool, errors_out: Path | None, batch_size: int) -> None:
    """Create or update products from a CSV or JSON Lines FILE (matched by ISBN, then slug).

    Rows go through the same checks as the GraphQL mutations; a refused row is reported and
    never stops or half-writes the others. Columns: isbn, slug, title, description, kind,
    format, category (slug), brand (slug), work_title, work_of (ISBN or slug of another format),
    authors (';'-separated), attributes (JSON object), images (URLs or JSON), release_date
    (YYYY-MM-DD); see the README. Exit status: 0 when every row was imported, 1 when the file
    cannot be read (nothing is written), 3 when some rows were refused.
    """
    if fmt is None:
        suffix = file.suffix.lower()
        if suffix not in (".csv", ".jsonl", ".ndjson"):
            raise click.UsageError("Give --format csv or --format jsonl (the file's extension does not say).")
        fmt = "csv" if suffix == ".csv" else "jsonl"
    url = _database_url()
    started = time.monotonic()
    try:
        summary = asyncio.run(_import(url, file, fmt, dry_run, batch_size))
    except ImportFileError as error:
        raise click.ClickException(f"{file}: {error.message} Nothing was imported.") from None
    verb = "would be" if dry_run else "were"
    click.echo(f"{summary.processed} rows in {time.monotonic() - started:.1f}s: {summary.created} {verb} created,"
               f" {summary.updated} {verb} updated, {summary.failed} refused.")
    shown = summary.errors[:100]
    for e in shown:
        click.echo(f"  row {e.row}{f' [{e.field}]' if e.field else ''}: {e.code}: {e.message}", err=True)
    if len(summary.errors) > len(shown):
        click.echo(f"  ... and {len(summary.errors) - len(shown)} more (see --errors-out).", err=True)
    if errors_out is not None:
        _write_errors(errors_out, summary.errors)
        click.echo(f"Row errors written to {errors_out}.")
    if summary.errors:
        sys.exit(3)


@main.command("export-schema")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
def export_schema(output: Path | None) -> None:
    """Print the GraphQL schema (SDL), as committed in schema.graphql."""
    from api.schema import export_sdl

    sdl = export_sdl()
    if output:
        output.write_text(sdl)
    else:
        click.echo(sdl, nl=False)


async def _create_admin(url: str, email: str, password: str, name: str) -> tuple[int, bool]:
    database = Database(url, pool_size=1)
    try:
        async with UnitOfWork(database) as uow:
            result = await identity.create_admin(uow.session, get_settings(), email, password, name)
            await uow.commit()
            return result
    finally:
        await database.close()


@main.command("create-admin")
@click.option("--email", required=True, help="E-mail of the administrator (an existing account is promoted).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Password for a new account (10-128 characters); prompted when not given.")
@click.option("--name", default="Administrator", show_default=True, help="Display name for a new account.")
def create_admin(email: str, password: str, name: str) -> None:
    """Create an administrator account, or make an existing account an administrator."""
    url = _database_url()
    _migrate(url)
    try:
        account_id, created = asyncio.run(_create_admin(url, email, password, name))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    verb = "Created" if created else "Promoted existing account"
    click.echo(f"{verb} {email} (account {account_id}) as an administrator.")


main.add_command(api_clients_group)
main.add_command(documents_group)
