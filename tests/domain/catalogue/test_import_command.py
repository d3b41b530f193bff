"""`tributary import`: CSV and JSON Lines files create and update products through the same
checks as the mutations; bad rows are reported with their line, column and code, and never
stop or half-write the others."""
import asyncio
import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from domain.shared.config import get_settings
from tests.api.catalogue.helpers import fetch, scalar, table_counts

pytestmark = pytest.mark.one_copy_per_file

FIXTURES = Path(__file__).parents[2] / "fixtures" / "catalogue"


async def _run(db, *args: str):
    def invoke():
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(main, ["import", *args], env={"TRIBUTARY_DATABASE_URL": db.url})
        finally:
            get_settings.cache_clear()

    return await asyncio.to_thread(invoke)


async def _lighthouse(db) -> list:
    return await fetch(db, "SELECT slug, format::text, work_id, isbn, authors, attributes::text, release_date::text"
                           " FROM products WHERE title = 'The Lighthouse Cartographer' ORDER BY id")


@pytest.mark.own_copy
async def test_csv_import_writes_the_good_rows_and_reports_the_bad_ones(writable_database, tmp_path):
    db = writable_database
    before = await table_counts(db)
    errors_out = tmp_path / "errors.csv"

    result = await _run(db, str(FIXTURES / "products.csv"), "--errors-out", str(errors_out))

    assert result.exit_code == 3, result.output
    assert "7 rows" in result.stdout and "2 were created, 1 were updated, 4 refused" in result.stdout
    with errors_out.open() as f:
        report = list(csv.DictReader(f))
    assert [(r["row"], r["field"], r["code"]) for r in report] == [
        ("5", "isbn", "ISBN_INVALID"), ("6", "category", "NOT_FOUND"), ("8", "format", "FORMAT_INVALID"),
        ("9", "images", "IMAGE_URL_INVALID")]
    assert "row 5 [isbn]: ISBN_INVALID" in result.stderr
    hardcover, kindle = await _lighthouse(db)
    assert hardcover["slug"] == "the-lighthouse-cartographer-hardcover" and hardcover["isbn"] == "9780306406157"
    assert hardcover["authors"] == ["Mara Quillfeather", "Ivo Brask"]
    assert hardcover["attributes"] == '{"pages": 320, "language": "eng"}'
    assert (kindle["slug"], kindle["format"], kindle["isbn"]) == ("lighthouse-cartographer-kindle", "KINDLE", None)
    assert kindle["work_id"] == hardcover["work_id"] is not None
    assert await scalar(db, "SELECT description FROM products WHERE slug = 'lighthouse-cartographer-kindle'") == (
        "The Kindle edition, with\nthe author's notes.")
    assert await scalar(db, "SELECT description FROM products WHERE slug = 'the-hunger-games-hardcover'") == (
        "Updated by the import.")
    assert await scalar(db, "SELECT count(*) FROM search_documents d JOIN products p ON p.id = d.product_id"
                            " WHERE p.title = 'The Lighthouse Cartographer'") == 2
    after = await table_counts(db)
    assert after["products"] == before["products"] + 2 and after["works"] == before["works"] + 1


@pytest.mark.own_copy
async def test_jsonl_import_writes_the_good_rows_and_reports_the_bad_ones(writable_database):
    db = writable_database
    result = await _run(db, str(FIXTURES / "products.jsonl"))

    assert result.exit_code == 3, result.output
    assert "6 rows" in result.stdout and "2 were created, 1 were updated, 3 refused" in result.stdout
    assert "row 3: INVALID: This line is not valid JSON" in result.stderr
    assert "row 4 [colour]: INVALID" in result.stderr
    assert "row 5 [attributes]: ATTRIBUTE_INVALID" in result.stderr
    hardcover, kindle = await _lighthouse(db)
    assert hardcover["isbn"] == "9780306406157" and hardcover["work_id"] is not None
    assert (kindle["format"], kindle["work_id"]) == ("KINDLE", hardcover["work_id"])
    assert await scalar(db, "SELECT images::text FROM products WHERE id = (SELECT min(id) FROM products"
                            " WHERE title = 'The Lighthouse Cartographer')") == (
        '[{"url": "https://images.example.com/lighthouse.jpg", "width": 600, "height": 900, "altText": "Cover"}]')
    row = (await fetch(db, "SELECT release_date, brand_id FROM products WHERE slug = 'the-hunger-games-hardcover'"))[0]
    assert tuple(row) == (None, None)


@pytest.mark.own_copy
async def test_dry_run_reports_the_same_and_writes_nothing(writable_database):
    before = await table_counts(writable_database)
    result = await _run(writable_database, str(FIXTURES / "products.csv"), "--dry-run")
    assert result.exit_code == 3, result.output
    assert "2 would be created, 1 would be updated, 4 refused" in result.stdout
    assert await table_counts(writable_database) == before


async def test_a_file_with_unknown_columns_is_refused_whole(writable_database, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("title,kind,category,colour\nKettle,PHYSICAL,books-fantasy,red\n")
    before = await table_counts(writable_database)
    result = await _run(writable_database, str(path))
    assert result.exit_code == 1
    assert "Unknown column 'colour'" in result.output and "Nothing was imported" in result.output
    assert await table_counts(writable_database) == before


async def test_every_good_row_is_written_across_batches(writable_database, tmp_path):
    path = tmp_path / "many.jsonl"
    lines = [f'{{"title": "Zephyrine Kettle {i}", "kind": "PHYSICAL", "category": "kitchen"}}' for i in range(7)]
    lines[3] = '{"title": "Broken", "kind": "PHYSICAL", "category": "kitchen", "release_date": "yesterday"}'
    path.write_text("\n".join(lines) + "\n")
    result = await _run(writable_database, str(path), "--batch-size", "2")
    assert result.exit_code == 3, result.output
    assert "row 4 [release_date]: INVALID" in result.stderr
    assert await scalar(writable_database, "SELECT count(*) FROM products WHERE title LIKE 'Zephyrine Kettle %'") == 6


@pytest.mark.parametrize("name", ["products.txt"])
async def test_the_format_must_be_known(writable_database, tmp_path, name):
    path = tmp_path / name
    path.write_text("title\n")
    result = await _run(writable_database, str(path))
    assert result.exit_code == 2 and "--format" in result.output
