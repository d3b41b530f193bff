"""`tributary api-clients create | list | revoke` and `tributary documents register | list | remove`."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import click
from graphql import GraphQLError, parse, specified_rules, validate

from domain.clients import api_clients, documents
from domain.clients.api_clients import ClientError
from domain.shared.config import get_settings
from domain.shared.database_url import asyncpg_url, resolve_url
from domain.shared.db import Database
from domain.shared.unit_of_work import UnitOfWork


def _run(work):
    """Runs `work(session)` in one transaction on the configured database (migrated first), and
    turns a refusal into the command's error message."""
    from migrations.runner import upgrade

    url = asyncpg_url(resolve_url(get_settings()))
    upgrade(url)

    async def transaction():
        database = Database(url, pool_size=1)
        try:
            async with UnitOfWork(database) as uow:
                result = await work(uow.session)
                await uow.commit()
                return result
        finally:
            await database.close()

    try:
        return asyncio.run(transaction())
    except ClientError as error:
        raise click.ClickException(str(error)) from None


@click.group("api-clients")
def api_clients_group() -> None:
    """Keys by which server-side clients (a storefront rendering pages) identify themselves."""


@api_clients_group.command("create")
@click.argument("name")
@click.option("--budget", type=click.IntRange(1), default=None,
              help="Cost budget of the client, in points (default TRIBUTARY_COST_BUDGET).")
@click.option("--trusted-documents-only", is_flag=True,
              help="The client may run only trusted documents (`tributary documents register`).")
def create_client(name: str, budget: int | None, trusted_documents_only: bool) -> None:
    """Create an API client and print its key (shown once: only its hash is kept)."""
    client, key = _run(lambda session: api_clients.create(session, name, budget, trusted_documents_only))
    click.echo(f"Created API client {client.name} (id {client.id}). Its key, shown only now:\n\n  {key}\n\n"
               "Send it as the X-Api-Client-Key header, from servers only (never ship it to browsers or apps).")


@api_clients_group.command("list")
def list_clients() -> None:
    """List the API clients (never their keys)."""
    clients = _run(api_clients.all_clients)
    if not clients:
        click.echo("No API clients.")
    for client in clients:
        state = f"revoked {client.revoked_at:%Y-%m-%d %H:%M}" if client.revoked_at else "active"
        budget = f"budget {client.budget}" if client.budget else "default budget"
        only = ", trusted documents only" if client.trusted_documents_only else ""
        click.echo(f"{client.name}  (id {client.id}, {state}, {budget}{only})")


@api_clients_group.command("revoke")
@click.argument("name")
def revoke_client(name: str) -> None:
    """Revoke a client's key: its requests are refused (within seconds on every server)."""
    client = _run(lambda session: api_clients.revoke(session, name))
    click.echo(f"Revoked API client {client.name}.")


@click.group("documents")
def documents_group() -> None:
    """Trusted documents: the operations first-party clients ship."""


def _checked_entries(manifest: Path) -> list[documents.ManifestEntry]:
    from api.schema import build_schema

    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{manifest}: not a readable JSON file ({error}).") from None
    try:
        entries = documents.manifest_entries(data)
    except ClientError as error:
        raise click.ClickException(f"{manifest}: {error}") from None
    schema = build_schema(get_settings())._schema
    problems = []
    for entry in entries:
        try:
            errors = validate(schema, parse(entry.document), specified_rules)
        except GraphQLError as error:
            errors = [error]
        problems += [f"  {entry.name or entry.hash}: {error.message}" for error in errors]
    if problems:
        raise click.ClickException("Nothing registered: these documents do not validate against the schema:\n"
                                   + "\n".join(problems))
    return entries


@documents_group.command("register")
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--client", "client_name", default=None,
              help="Trust them for this API client only (default: for every caller).")
def register_documents(manifest: Path, client_name: str | None) -> None:
    """Register a MANIFEST of trusted documents: GraphQL Code Generator's persisted documents
    ({"<sha256>": "<document>"}) or Apollo's persisted query manifest. Every document must
    validate against the schema, or nothing is registered."""
    entries = _checked_entries(manifest)

    async def work(session):
        client_id = (await api_clients.by_name(session, client_name)).id if client_name else None
        return await documents.register_trusted(session, entries, client_id)

    added = _run(work)
    whom = f"API client {client_name}" if client_name else "every caller"
    click.echo(f"{len(entries)} documents in the manifest, {added} newly trusted for {whom}.")


@documents_group.command("list")
@click.option("--client", "client_name", default=None, help="Only those trusted for this API client.")
def list_documents(client_name: str | None) -> None:
    """List the trusted documents (hash, operation name, whom they are trusted for)."""
    async def work(session):
        clients = {client.id: client.name for client in await api_clients.all_clients(session)}
        client_id = (await api_clients.by_name(session, client_name)).id if client_name else None
        rows = await documents.trusted_documents(session, client_id, everyone=client_name is None)
        return [(row.hash, row.name, clients.get(row.client_id)) for row in rows]

    rows = _run(work)
    if not rows:
        click.echo("No trusted documents.")
    for digest, name, client in rows:
        click.echo(f"{digest}  {name or '(unnamed)'}  {f'client {client}' if client else 'everyone'}")


@documents_group.command("remove")
@click.argument("hashes", nargs=-1, required=True)
@click.option("--client", "client_name", default=None, help="Remove them from this API client's documents.")
def remove_documents(hashes: tuple[str, ...], client_name: str | None) -> None:
    """Stop trusting the documents with these HASHES (a MANIFEST file's documents, given its path)."""
    wanted: list[str] = []
    for given in hashes:
        if Path(given).is_file():
            wanted += [entry.hash for entry in _checked_entries(Path(given))]
        elif (digest := documents.normal_hash(given)) is not None:
            wanted.append(digest)
        else:
            raise click.ClickException(f"{given!r} is neither a SHA-256 hash nor a manifest file.")

    async def work(session):
        client_id = (await api_clients.by_name(session, client_name)).id if client_name else None
        return await documents.remove_trusted(session, wanted, client_id)

    click.echo(f"Removed {_run(work)} trusted documents.")
