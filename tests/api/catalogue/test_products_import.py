"""Staged products imports: upload in chunks, start, a worker runs the job, the admin
follows its progress."""
from pathlib import Path

import pytest

from domain.bootstrap import job_registry
from domain.catalogue import imports
from domain.catalogue.imports import run_import
from domain.jobs.worker import Worker
from tests.api.catalogue.helpers import codes, data, fetch, pk, scalar, table_counts
from tests.fixtures.jobs import RecordingSender

pytestmark = pytest.mark.one_copy_per_file

FIXTURES = Path(__file__).parents[2] / "fixtures" / "catalogue"
IMPORT_FIELDS = """id format dryRun status chunks sizeBytes rowsTotal rowsProcessed rowsSucceeded rowsCreated
  rowsUpdated rowsFailed failureMessage startedAt finishedAt errors { row field code message }"""
CREATE = f"""mutation($input: ProductsImportCreateInput!) {{ createProductImport(input: $input) {{
  productImport {{ {IMPORT_FIELDS} }} userErrors {{ code message field }} }} }}"""
APPEND = f"""mutation($input: ProductsImportAppendInput!) {{ appendProductImportChunk(input: $input) {{
  productImport {{ {IMPORT_FIELDS} }} userErrors {{ code message field }} }} }}"""
START = f"""mutation($input: ProductsImportStartInput!) {{ startProductImport(input: $input) {{
  productImport {{ {IMPORT_FIELDS} }} userErrors {{ code message field }} }} }}"""
GET = f"query($id: ID!) {{ productsImport(id: $id) {{ {IMPORT_FIELDS} }} }}"


async def _open(http, admin, fmt="CSV", dry_run=False) -> dict:
    payload = data(await admin(http, CREATE, {"input": {"format": fmt, "dryRun": dry_run}}), "createProductImport")
    assert payload["userErrors"] == []
    return payload["productImport"]


async def _append(http, admin, import_id, index, chunk) -> dict:
    return data(await admin(http, APPEND, {"input": {"importId": import_id, "index": index, "chunk": chunk}}),
                "appendProductImportChunk")


async def _upload(http, admin, import_id, content: str, size: int) -> None:
    for index, start in enumerate(range(0, len(content), size)):
        payload = await _append(http, admin, import_id, index, content[start:start + size])
        assert payload["userErrors"] == [], payload


async def _start(http, admin, import_id) -> dict:
    return data(await admin(http, START, {"input": {"importId": import_id}}), "startProductImport")


async def _get(http, admin, import_id) -> dict:
    return data(await admin(http, GET, {"id": import_id}), "productsImport")


@pytest.mark.own_copy
async def test_a_staged_csv_import_end_to_end(http, admin, writable_database):
    db = writable_database
    content = (FIXTURES / "products.csv").read_text()
    staged = await _open(http, admin)
    assert (staged["status"], staged["format"], staged["chunks"], staged["rowsTotal"]) == ("UPLOADING", "CSV", 0, None)
    # Chunks split lines (and a quoted cell) anywhere.
    await _upload(http, admin, staged["id"], content, 97)

    started = await _start(http, admin, staged["id"])

    assert started["userErrors"] == []
    assert started["productImport"]["status"] == "PENDING"
    assert started["productImport"]["sizeBytes"] == len(content.encode())
    jobs = await fetch(db, "SELECT kind, payload::text FROM jobs WHERE kind = 'catalogue.import'")
    assert [tuple(j) for j in jobs] == [("catalogue.import", f'{{"importId": {pk(staged["id"])}}}')]

    # The worker runs the queued job, as `tributary worker` would.
    stats = await Worker(db, handlers=job_registry(), email=RecordingSender()).run_once()
    assert stats.done >= 1 and stats.failed == 0

    done = await _get(http, admin, staged["id"])
    assert (done["status"], done["rowsTotal"], done["rowsProcessed"], done["rowsSucceeded"], done["rowsCreated"],
            done["rowsUpdated"], done["rowsFailed"]) == ("DONE", 7, 7, 3, 2, 1, 4)
    assert [(e["row"], e["field"], e["code"]) for e in done["errors"]] == [
        (5, "isbn", "ISBN_INVALID"), (6, "category", "NOT_FOUND"), (8, "format", "FORMAT_INVALID"),
        (9, "images", "IMAGE_URL_INVALID")]
    assert done["startedAt"] and done["finishedAt"] and done["failureMessage"] is None
    assert await scalar(db, "SELECT count(*) FROM products WHERE title = 'The Lighthouse Cartographer'") == 2
    assert await scalar(db, "SELECT count(*) FROM product_import_chunks") == 0
    # Both formats are searchable: one work with its other format, or two products listed apart.
    search = await http.post("/graphql", json={"query": '{ search(query: "Lighthouse Cartographer") {'
                                                        ' totalCount results { otherFormats { id } } } }'})
    assert search.json()["data"]["search"]["totalCount"] == 1
    assert len(search.json()["data"]["search"]["results"][0]["otherFormats"]) == 1
    every = await http.post("/graphql", json={"query": '{ search(query: "Lighthouse Cartographer",'
                                                       ' groupFormats: false) { totalCount } }'})
    assert every.json()["data"]["search"]["totalCount"] == 2


@pytest.mark.own_copy
async def test_running_the_job_again_changes_nothing(http, admin, writable_database):
    content = (FIXTURES / "products.jsonl").read_text()
    staged = await _open(http, admin, "JSONL")
    await _upload(http, admin, staged["id"], content, 64_000)
    await _start(http, admin, staged["id"])
    await run_import(writable_database, pk(staged["id"]))
    before = await table_counts(writable_database)
    again = await run_import(writable_database, pk(staged["id"]))
    assert again.status == "DONE" and (again.rows_created, again.rows_updated, again.rows_failed) == (2, 1, 3)
    assert await table_counts(writable_database) == before


async def test_an_interrupted_import_resumes_after_its_last_batch(http, admin, writable_database, monkeypatch):
    db = writable_database
    lines = [f'{{"title": "Zephyrine Kettle {i}", "kind": "PHYSICAL", "category": "kitchen"}}' for i in range(5)]
    staged = await _open(http, admin, "JSONL")
    await _upload(http, admin, staged["id"], "\n".join(lines), 64_000)
    await _start(http, admin, staged["id"])
    real, calls = imports.import_batch, []

    async def crash_on_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ConnectionError("worker lost its database")
        return await real(*args, **kwargs)

    monkeypatch.setattr(imports, "import_batch", crash_on_second_batch)
    with pytest.raises(ConnectionError):
        await run_import(db, pk(staged["id"]), batch_size=2)
    halfway = await _get(http, admin, staged["id"])
    assert (halfway["status"], halfway["rowsProcessed"], halfway["rowsTotal"]) == ("RUNNING", 2, 5)
    monkeypatch.setattr(imports, "import_batch", real)

    await run_import(db, pk(staged["id"]), batch_size=2)

    done = await _get(http, admin, staged["id"])
    assert (done["status"], done["rowsProcessed"], done["rowsCreated"]) == ("DONE", 5, 5)
    titles = await fetch(db, "SELECT title FROM products WHERE title LIKE 'Zephyrine Kettle %' ORDER BY title")
    assert [t[0] for t in titles] == [f"Zephyrine Kettle {i}" for i in range(5)]


@pytest.mark.own_copy
async def test_a_dry_run_import_counts_and_writes_nothing(http, admin, writable_database):
    staged = await _open(http, admin, "CSV", dry_run=True)
    await _upload(http, admin, staged["id"], (FIXTURES / "products.csv").read_text(), 64_000)
    await _start(http, admin, staged["id"])
    before = await table_counts(writable_database)
    await run_import(writable_database, pk(staged["id"]))
    done = await _get(http, admin, staged["id"])
    assert (done["status"], done["dryRun"], done["rowsCreated"], done["rowsUpdated"], done["rowsFailed"]) == (
        "DONE", True, 2, 1, 4)
    after = await table_counts(writable_database)
    assert {k: v for k, v in after.items() if k != "product_import_chunks"} == {
        k: v for k, v in before.items() if k != "product_import_chunks"}


async def test_an_unreadable_file_fails_the_import_and_writes_nothing(http, admin, writable_database):
    staged = await _open(http, admin)
    await _upload(http, admin, staged["id"], "title,colour\nKettle,red\n", 64_000)
    await _start(http, admin, staged["id"])
    products = await scalar(writable_database, "SELECT count(*) FROM products")
    await run_import(writable_database, pk(staged["id"]))
    failed = await _get(http, admin, staged["id"])
    assert failed["status"] == "FAILED" and "Unknown column 'colour'" in failed["failureMessage"]
    assert failed["rowsProcessed"] == 0
    assert await scalar(writable_database, "SELECT count(*) FROM products") == products


@pytest.mark.own_copy
async def test_a_resent_chunk_is_harmless_and_chunks_come_in_order(http, admin, writable_database):
    staged = await _open(http, admin)
    first = await _append(http, admin, staged["id"], 0, "title,kind,category\n")
    retry = await _append(http, admin, staged["id"], 0, "title,kind,category\n")
    other = await _append(http, admin, staged["id"], 0, "something else\n")
    skipped = await _append(http, admin, staged["id"], 2, "Kettle,PHYSICAL,kitchen\n")
    assert first["productImport"]["chunks"] == retry["productImport"]["chunks"] == 1
    assert [(e["code"], e["field"]) for e in other["userErrors"]] == [
        ("IMPORT_CHUNK_OUT_OF_ORDER", ["input", "index"])]
    assert codes(skipped) == ["IMPORT_CHUNK_OUT_OF_ORDER"]
    assert await scalar(writable_database, "SELECT count(*) FROM product_import_chunks") == 1


async def test_chunk_and_import_limits(http, admin, writable_database, monkeypatch):
    staged = await _open(http, admin)
    too_big = await _append(http, admin, staged["id"], 0, "x" * (imports.MAX_CHUNK_BYTES + 1))
    multibyte = await _append(http, admin, staged["id"], 0, "é" * (imports.MAX_CHUNK_BYTES // 2 + 1))
    empty = await _append(http, admin, staged["id"], 0, "")
    assert codes(too_big) == codes(multibyte) == ["IMPORT_TOO_LARGE"]
    assert [(e["code"], e["field"]) for e in empty["userErrors"]] == [("INVALID", ["input", "chunk"])]
    monkeypatch.setattr(imports, "MAX_IMPORT_BYTES", 30)
    assert (await _append(http, admin, staged["id"], 0, "x" * 20))["userErrors"] == []
    assert codes(await _append(http, admin, staged["id"], 1, "x" * 20)) == ["IMPORT_TOO_LARGE"]


@pytest.mark.own_copy
async def test_an_import_starts_once_with_content_and_then_takes_no_chunks(http, admin, writable_database):
    staged = await _open(http, admin)
    before = await table_counts(writable_database)
    empty = await _start(http, admin, staged["id"])
    assert [(e["code"], e["field"]) for e in empty["userErrors"]] == [("IMPORT_EMPTY", ["input", "importId"])]
    assert await table_counts(writable_database) == before
    await _append(http, admin, staged["id"], 0, "title,kind,category\n")
    assert (await _start(http, admin, staged["id"]))["userErrors"] == []
    assert codes(await _start(http, admin, staged["id"])) == ["IMPORT_NOT_OPEN"]
    assert codes(await _append(http, admin, staged["id"], 1, "Kettle,PHYSICAL,kitchen\n")) == ["IMPORT_NOT_OPEN"]
    assert await scalar(writable_database, "SELECT count(*) FROM jobs WHERE kind = 'catalogue.import'") == 1


async def test_an_unknown_import_is_not_found(http, admin, writable_database):
    unknown = "UHJvZHVjdEltcG9ydDo5OTk5"
    appended = await _append(http, admin, unknown, 0, "x")
    assert [(e["code"], e["field"]) for e in appended["userErrors"]] == [("NOT_FOUND", ["input", "importId"])]
    assert await _get(http, admin, unknown) is None
