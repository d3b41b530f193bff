"""Bulk product imports: from a file on the command line, or staged through the API and run
by the job worker. Columns and row rules are in `domain.catalogue.import_rows`.

Rules: rows go through the same use cases as the mutations (same validation); rows are
written in batches (500 per transaction by default), each row in its own savepoint, so a bad
row is reported (line, column, code, message) and never stops or half-writes the others; a
dry run validates every row and writes nothing. A staged import is uploaded in chunks of at
most 64,000 bytes (the API's request body limit is 100 kB), up to 50 MB in all, and runs once
started; its counters and first 100 row errors are committed with each batch, so a worker
that stops half-way resumes after the last committed batch and never imports a row twice.
"""
from __future__ import annotations

import io
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy import text
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalogue.entities import ProductImport, RowError
from domain.catalogue.errors import CatalogueErrorCode
from domain.catalogue.import_rows import ImportFileError, Row, apply_row, count_rows, read_rows, row_error
from domain.catalogue.statuses import ProductImportFormat, ProductImportStatus
from domain.jobs import service as jobs
from domain.marketplace import service as marketplace
from domain.shared.db import Database, Reader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.principal import Principal
from domain.shared.unit_of_work import UnitOfWork

log = logging.getLogger("tributary.catalogue.imports")

BATCH_SIZE = 500
MAX_CHUNK_BYTES = 64_000
MAX_IMPORT_BYTES = 50_000_000
MAX_STORED_ERRORS = 100
JOB_KIND = "catalogue.import"

# Whoever runs `tributary import` has the database's credentials: the platform operator.
COMMAND_LINE = Principal(account_id=0, is_admin=True)

_IMPORT = """id, created_by, format::text, dry_run, status::text, chunks, size_bytes, rows_total, rows_processed,
  rows_created, rows_updated, rows_failed, errors, failure_message, created_at, started_at, finished_at"""


@dataclass
class BatchResult:
    processed: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)


@dataclass
class ImportSummary:
    """Totals of a whole file, with every row error."""

    processed: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)

    def add(self, batch: BatchResult) -> None:
        self.processed += batch.processed
        self.created += batch.created
        self.updated += batch.updated
        self.errors.extend(batch.errors)


BeforeCommit = Callable[[AsyncSession, BatchResult], Awaitable[None]]


async def import_batch(database: Database, principal: Principal, rows: list[Row | RowError], *,
                       dry_run: bool = False, before_commit: BeforeCommit | None = None) -> BatchResult:
    """Imports rows in one transaction, each in its own savepoint; refused rows become
    RowErrors. A dry run rolls every row back (`before_commit` still commits)."""
    result = BatchResult()
    changed: set[int] = set()
    async with UnitOfWork(database) as uow:
        session = uow.session
        assert session is not None
        outer = await session.begin_nested() if dry_run else None
        for row in rows:
            result.processed += 1
            if isinstance(row, RowError):
                result.errors.append(row)
                continue
            try:
                async with session.begin_nested():
                    outcome, product_id = await apply_row(session, principal, row)
            except DomainError as error:
                result.errors.append(row_error(row.line, error))
                continue
            except (IntegrityError, DataError) as error:
                log.warning("import row %s refused by the database: %s", row.line, error.orig)
                result.errors.append(RowError(row.line, None, "INVALID",
                                              "The database refused this row; check its values."))
                continue
            changed.add(product_id)
            if outcome == "created":
                result.created += 1
            else:
                result.updated += 1
        if outer is not None:
            await outer.rollback()
        else:
            await marketplace.refresh_search_documents(session, sorted(changed))
        if before_commit is not None:
            await before_commit(session, result)
        await uow.commit()
    return result


def _batches(rows: Iterator[Row | RowError], size: int) -> Iterator[list[Row | RowError]]:
    while batch := list(islice(rows, size)):
        yield batch


async def import_lines(database: Database, open_lines: Callable[[], Iterable[str]], fmt: str, *,
                       principal: Principal = COMMAND_LINE, dry_run: bool = False, batch_size: int = BATCH_SIZE,
                       on_batch: Callable[[BatchResult], None] | None = None) -> ImportSummary:
    """Imports a whole file (`open_lines()` gives its lines, from the start, each time it is
    called) in batches; `on_batch` hears about each batch once it is committed. Raises
    ImportFileError, before writing anything, when the file cannot be read at all."""
    principal.require_admin()
    count_rows(open_lines(), fmt)  # a file-level problem stops the import before any write
    summary = ImportSummary()
    for batch in _batches(read_rows(open_lines(), fmt), batch_size):
        result = await import_batch(database, principal, batch, dry_run=dry_run)
        summary.add(result)
        if on_batch is not None:
            on_batch(result)
    return summary


# Staged imports (uploaded through the API, run by the worker).


def _import_from_row(row) -> ProductImport:
    values = list(row)
    errors = values[12]
    if isinstance(errors, str):
        errors = json.loads(errors)
    values[12] = [RowError(e["row"], e.get("field"), e["code"], e["message"]) for e in errors]
    return ProductImport(*values)


async def _locked(session: AsyncSession, import_id: int) -> ProductImport:
    row = (await session.execute(text(f"SELECT {_IMPORT} FROM product_imports WHERE id = :id FOR UPDATE"),
                                 {"id": import_id})).one_or_none()
    if row is None:
        raise NotFound("No such products import.", field=["input", "importId"])
    return _import_from_row(row)


async def create_import(session: AsyncSession, principal: Principal, fmt: str, *,
                        dry_run: bool = False) -> ProductImport:
    """Opens a staged import of a CSV or JSONL file, to upload in chunks. Administrators only."""
    account_id = principal.require_signed_in()
    principal.require_admin()
    if fmt not in set(ProductImportFormat):
        raise InvalidInput(f"Unknown import format {fmt!r}.", field=["input", "format"])
    row = (await session.execute(text(
        "INSERT INTO product_imports (created_by, format, dry_run)"
        f" VALUES (:by, CAST(:format AS product_import_format), :dry) RETURNING {_IMPORT}"),
        {"by": account_id or None, "format": fmt, "dry": dry_run})).one()
    return _import_from_row(row)


async def append_chunk(session: AsyncSession, principal: Principal, import_id: int, index: int,
                       content: str) -> ProductImport:
    """Appends the next chunk (0, 1, 2... in order) of an import's file. Sending a chunk
    again with the same index and content changes nothing (a retry after a lost answer);
    chunks are at most 64,000 bytes of UTF-8, files at most 50 MB. Administrators only."""
    principal.require_admin()
    staged = await _locked(session, import_id)
    if index < 0:
        raise InvalidInput("A chunk index is 0 or more.", field=["input", "index"])
    if index < staged.chunks:
        stored = (await session.execute(text(
            "SELECT content FROM product_import_chunks WHERE import_id = :id AND position = :index"),
            {"id": staged.id, "index": index})).scalar()
        if stored == content:
            return staged
        if staged.status == ProductImportStatus.UPLOADING:
            raise InvalidInput(f"Chunk {index} was already received with other content; the next chunk is"
                               f" {staged.chunks}.", code=CatalogueErrorCode.IMPORT_CHUNK_OUT_OF_ORDER, field=["input", "index"])
    if staged.status != ProductImportStatus.UPLOADING:
        raise InvalidInput("This import has started; it takes no more chunks.", code=CatalogueErrorCode.IMPORT_NOT_OPEN,
                           field=["input", "importId"])
    if index != staged.chunks:
        raise InvalidInput(f"Chunks are sent in order: the next one is {staged.chunks}, not {index}.",
                           code=CatalogueErrorCode.IMPORT_CHUNK_OUT_OF_ORDER, field=["input", "index"])
    if not content:
        raise InvalidInput("A chunk cannot be empty.", field=["input", "chunk"])
    if "\x00" in content:
        raise InvalidInput("A chunk cannot contain NUL characters.", field=["input", "chunk"])
    size = len(content.encode("utf-8"))
    if size > MAX_CHUNK_BYTES:
        raise InvalidInput(f"A chunk is at most {MAX_CHUNK_BYTES} bytes of UTF-8; this one is {size}.",
                           code=CatalogueErrorCode.IMPORT_TOO_LARGE, field=["input", "chunk"])
    if staged.size_bytes + size > MAX_IMPORT_BYTES:
        raise InvalidInput(f"An import file is at most {MAX_IMPORT_BYTES} bytes.", code=CatalogueErrorCode.IMPORT_TOO_LARGE,
                           field=["input", "chunk"])
    await session.execute(text(
        "INSERT INTO product_import_chunks (import_id, position, content) VALUES (:id, :index, :content)"),
        {"id": staged.id, "index": index, "content": content})
    row = (await session.execute(text(
        "UPDATE product_imports SET chunks = chunks + 1, size_bytes = size_bytes + :size WHERE id = :id"
        f" RETURNING {_IMPORT}"), {"id": staged.id, "size": size})).one()
    return _import_from_row(row)


async def start_import(session: AsyncSession, principal: Principal, import_id: int) -> ProductImport:
    """Closes the upload and queues the import for the worker (job `catalogue.import`).
    Administrators only."""
    principal.require_admin()
    staged = await _locked(session, import_id)
    if staged.status != ProductImportStatus.UPLOADING:
        raise InvalidInput("This import has already started.", code=CatalogueErrorCode.IMPORT_NOT_OPEN, field=["input", "importId"])
    if staged.chunks == 0:
        raise InvalidInput("Upload the file (appendProductImportChunk) before starting the import.",
                           code=CatalogueErrorCode.IMPORT_EMPTY, field=["input", "importId"])
    row = (await session.execute(text(
        f"UPDATE product_imports SET status = 'PENDING' WHERE id = :id RETURNING {_IMPORT}"),
        {"id": staged.id})).one()
    await jobs.enqueue(session, JOB_KIND, {"importId": staged.id}, dedupe_key=f"{JOB_KIND}:{staged.id}")
    return _import_from_row(row)


async def imports_by_ids(reader: Reader, principal: Principal, ids: list[int]) -> dict[int, ProductImport]:
    """Imports by id; administrators see them all, anyone else none."""
    if not principal.is_admin:
        return {}
    rows = await reader.fetch(f"SELECT {_IMPORT} FROM product_imports WHERE id = ANY($1::bigint[])", list(ids))
    return {r[0]: _import_from_row(r) for r in rows}


async def find_import(reader: Reader, principal: Principal, import_id: int) -> ProductImport | None:
    """One import and its progress. Administrators only."""
    principal.require_admin()
    return (await imports_by_ids(reader, principal, [import_id])).get(import_id)


class _Superseded(Exception):
    """Another run of the same import committed a batch first."""


async def _stored_file(database: Database, import_id: int) -> str:
    async with UnitOfWork(database) as uow:
        assert uow.session is not None
        chunks = (await uow.session.execute(text(
            "SELECT content FROM product_import_chunks WHERE import_id = :id ORDER BY position"),
            {"id": import_id})).scalars()
        return "".join(chunks).removeprefix("\ufeff")


async def _finish(database: Database, import_id: int, status: str, failure: str | None = None) -> None:
    async with UnitOfWork(database) as uow:
        assert uow.session is not None
        await uow.session.execute(text(
            "UPDATE product_imports SET status = CAST(:status AS product_import_status), failure_message = :failure,"
            " finished_at = now() WHERE id = :id"), {"id": import_id, "status": status, "failure": failure})
        await uow.session.execute(text("DELETE FROM product_import_chunks WHERE import_id = :id"), {"id": import_id})
        await uow.commit()


async def run_import(database: Database, import_id: int, *, batch_size: int = BATCH_SIZE) -> ProductImport | None:
    """The `catalogue.import` job: imports a started staged import, batch by batch, and
    marks it DONE (or FAILED when the file cannot be read at all). Safe to run again: a
    finished import is left alone and an interrupted one resumes after its last batch."""
    async with UnitOfWork(database) as uow:
        assert uow.session is not None
        row = (await uow.session.execute(text(
            f"SELECT {_IMPORT} FROM product_imports WHERE id = :id FOR UPDATE"), {"id": import_id})).one_or_none()
        if row is None:
            return None
        staged = _import_from_row(row)
        if staged.status not in (ProductImportStatus.PENDING, ProductImportStatus.RUNNING):
            return staged
        await uow.session.execute(text(
            "UPDATE product_imports SET status = 'RUNNING', started_at = coalesce(started_at, now())"
            " WHERE id = :id"), {"id": import_id})
        await uow.commit()
    content = await _stored_file(database, import_id)
    fmt = staged.format.lower()

    def lines() -> io.StringIO:
        return io.StringIO(content, newline="")

    try:
        total = count_rows(lines(), fmt)
    except ImportFileError as error:
        await _finish(database, import_id, "FAILED", error.message)
        return await _reload(database, import_id)
    async with UnitOfWork(database) as uow:
        assert uow.session is not None
        await uow.session.execute(text("UPDATE product_imports SET rows_total = :total WHERE id = :id"),
                                  {"id": import_id, "total": total})
        await uow.commit()
    principal = Principal(account_id=staged.created_by or 0, is_admin=True)
    processed, stored_errors = staged.rows_processed, len(staged.errors)
    rows = islice(read_rows(lines(), fmt), processed, None)

    for batch in _batches(rows, batch_size):
        expected = processed

        async def record(session: AsyncSession, result: BatchResult) -> None:
            nonlocal stored_errors
            done = (await session.execute(text(
                "SELECT rows_processed FROM product_imports WHERE id = :id FOR UPDATE"), {"id": import_id})).scalar()
            if done != expected:
                raise _Superseded()
            kept = result.errors[: max(0, MAX_STORED_ERRORS - stored_errors)]
            await session.execute(text(
                "UPDATE product_imports SET rows_processed = rows_processed + :processed,"
                " rows_created = rows_created + :created, rows_updated = rows_updated + :updated,"
                " rows_failed = rows_failed + :failed, errors = errors || CAST(:errors AS jsonb) WHERE id = :id"),
                {"id": import_id, "processed": result.processed, "created": result.created,
                 "updated": result.updated, "failed": result.failed,
                 "errors": json.dumps([e.as_json() for e in kept])})
            stored_errors += len(kept)

        try:
            result = await import_batch(database, principal, batch, dry_run=staged.dry_run, before_commit=record)
        except _Superseded:
            log.warning("import %s is being run by another worker; this run stops", import_id)
            return await _reload(database, import_id)
        processed += result.processed
    await _finish(database, import_id, "DONE")
    return await _reload(database, import_id)


async def _reload(database: Database, import_id: int) -> ProductImport | None:
    async with UnitOfWork(database) as uow:
        assert uow.session is not None
        row = (await uow.session.execute(text(f"SELECT {_IMPORT} FROM product_imports WHERE id = :id"),
                                         {"id": import_id})).one_or_none()
        return None if row is None else _import_from_row(row)


async def handle_job(database: Database, payload: dict) -> None:
    """Entry point for the worker's registry: `catalogue.import` jobs carry {"importId": id}."""
    await run_import(database, int(payload["importId"]))
