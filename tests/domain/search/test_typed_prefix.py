"""The last word is matched by its letters as typed, not by a prefix of its stem: "coffe" stems
to "coff", which also starts "coffin"."""
import pytest

from domain.search import service as search
from domain.search.entities import SearchSpec
from domain.search.repository import typed_prefix_match
from domain.shared.pagination import PageRequest
from tests.fixtures.db import rolled_back

TITLES = ["The Coffin Dancer", "Whole Bean Coffee", "Coffey on the Mile", "Babies and Toddlers", "The Trainspotters",
          "Shadow Divers"]


@pytest.mark.parametrize(("typed", "expected"), [
    ("coffe", ["Whole Bean Coffee", "Coffey on the Mile"]),
    ("coffin", ["The Coffin Dancer"]),
    ("babies", ["Babies and Toddlers"]),  # typed in full: its stem "babi" is no prefix of it
    ("trai", ["The Trainspotters"]),
    ("the", TITLES),  # a stop word narrows nothing (the documents do not hold it)
    ("diverent", ["Shadow Divers"]),  # by its stem, "diver"
])
async def test_the_prefix_narrows_to_words_starting_with_the_letters_typed(database, typed, expected):
    async with rolled_back(database) as conn:
        rows = await conn.fetch(
            "SELECT t FROM unnest($1::text[]) WITH ORDINALITY AS v(t, n),"
            " LATERAL (SELECT to_tsvector('english', t) AS document) d"
            f" WHERE {typed_prefix_match('$2::text')} ORDER BY n", TITLES, f"'{typed}'")
    assert [r[0] for r in rows] == expected


async def test_an_unknown_word_finds_nothing_by_its_stem_so_its_typo_is_corrected(database):
    async with rolled_back(database) as conn:
        rows = await conn.fetch(
            "SELECT t FROM unnest($1::text[]) AS v(t), LATERAL (SELECT to_tsvector('english', t) AS document) d"
            f" WHERE d.document @@ to_tsquery('english', $2) AND {typed_prefix_match('$2::text', 'false')}",
            TITLES, "'diverent'")
        prepared = await search.prepare(conn, SearchSpec(query="diverent"))
    assert rows == []
    assert prepared.query.corrected == "divergent"


async def test_a_search_for_a_word_typed_halfway_finds_that_word(database):
    async with rolled_back(database) as conn:
        prepared = await search.prepare(conn, SearchSpec(query="coffe"))
        page = await search.find_products(conn, prepared, PageRequest(0, 10))
    assert prepared.query.typed_prefix == "'coffe'"
    assert page.items and all("coffe" in (p.title + " " + p.description).lower() for p in page.items)


async def test_a_word_typed_halfway_ranks_the_word_it_already_is_before_longer_ones(database):
    # Two products retitled in the test's transaction: the more popular one only starts with
    # the letters typed ("coffey"); the other is "coffee", whose stem "coffe" was typed whole.
    async with rolled_back(database) as conn:
        ids = [r[0] for r in await conn.fetch(
            "SELECT product_id FROM search_documents WHERE kind = 'PHYSICAL' ORDER BY product_id LIMIT 2")]
        for product_id, title, ratings in ((ids[0], "Coffey Tales", 900_000), (ids[1], "Coffee Tales", 100_000)):
            await conn.execute(
                "UPDATE search_documents SET title = $2::text, byline = '', work_id = NULL, ratings_count = $3,"
                " document = setweight(to_tsvector('english', $2::text), 'A') WHERE product_id = $1",
                product_id, title, ratings)
        prepared = await search.prepare(conn, SearchSpec(query="tales coffe"))
        page = await search.find_products(conn, prepared, PageRequest(0, 5))
    found = [p.id for p in page.items]
    assert found.index(ids[1]) < found.index(ids[0])
