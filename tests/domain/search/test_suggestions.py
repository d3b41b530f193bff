"""Search-box suggestions over the seeded catalogue: typed kinds, typos within the budget,
popularity order, each text once, kept current by a refresh, in two statements."""
import pytest

from domain.marketplace import search_index
from domain.search import service as search
from domain.search.errors import SearchErrorCode
from domain.search.statuses import SearchSuggestionKind as Kind
from domain.search.suggestions import prefix_distance, typo_budget, word_distance
from domain.shared.db import Reader
from domain.shared.errors import InvalidInput
from tests.conftest import count_statements
from tests.fixtures.db import rolled_back


async def _suggest(database, prefix: str, first: int = 8):
    reader = Reader(await database.direct())
    try:
        with count_statements() as counter:
            found = await search.suggest(reader, prefix, first)
    finally:
        await reader.close()
    assert counter.count <= 2
    return found


def test_the_typo_budget_grows_with_the_word_and_a_transposition_is_one_typo():
    assert [typo_budget(n) for n in (1, 4, 5, 8, 9, 20)] == [0, 0, 1, 1, 2, 2]
    assert prefix_distance("hary", "harry", 1) == 1  # a letter left out, before the word ends
    assert prefix_distance("tolk", "tolkien", 0) == 0
    assert prefix_distance("rnigs", "rings", 1) == 1  # "ni" for "in"
    assert prefix_distance("hray", "harry", 1) is None  # two typos
    assert word_distance("hungr", "hunger", 1) == 1
    assert word_distance("hungr", "hungry", 1) == 1
    assert word_distance("accomodaton", "accommodation", 2) == 2
    assert word_distance("rings", "ringside", 2) is None  # a whole word is not a prefix


async def test_a_misspelt_prefix_suggests_the_titles_it_stands_for(database):
    found = await _suggest(database, "hary", 6)
    assert len(found) == 6
    assert all(s.kind == Kind.PRODUCT and s.text.startswith("Harry Potter") and s.typos == 1 for s in found)


async def test_short_prefixes_are_matched_as_typed(database):
    # Three letters leave no room for a typo: "hry" is not "harry".
    assert await _suggest(database, "hry") == []
    assert all(any(w.startswith("har") for w in s.text.lower().split()) for s in await _suggest(database, "har"))


async def test_an_author_is_suggested_from_a_prefix_or_a_misspelling(database):
    for prefix in ("tolk", "tolkein", "TOLKIEN"):
        first = (await _suggest(database, prefix))[0]
        assert (first.kind, first.text, first.ref_id) == (Kind.AUTHOR, "J.R.R. Tolkien", None), prefix
    # "tolk" also reaches "tolstoy" by one typo, after the exact completion.
    assert [s.typos for s in await _suggest(database, "tolk")][0] == 0


async def test_earlier_words_are_whole_words_and_the_last_one_may_hold_a_transposition(database):
    found = await _suggest(database, "lord of the rnigs")
    assert found and all("The Lord of the Rings" in s.text and s.typos == 1 for s in found)
    assert [s.text for s in await _suggest(database, "the girl on the trai")] == ["The Girl on the Train"]


async def test_categories_and_brands_come_with_their_ids(database):
    fiction = await (await database.direct()).fetchrow(
        "SELECT c.id, count(d.product_id) + coalesce(sum(d.ratings_count), 0) AS weight FROM categories c"
        " JOIN search_documents d ON d.category_path <@ c.path WHERE c.name = 'Fiction' GROUP BY c.id")
    first = (await _suggest(database, "fic"))[0]
    assert (first.kind, first.text, first.ref_id, first.weight) == (Kind.CATEGORY, "Fiction", fiction["id"],
                                                                    fiction["weight"])
    brand = await (await database.direct()).fetchrow("SELECT id, name FROM brands WHERE name = 'Bluepeak Hardware'")
    found = await _suggest(database, "bluepeak hard", 20)
    assert [(s.kind, s.text, s.ref_id) for s in found if s.kind == Kind.BRAND] == [
        (Kind.BRAND, brand["name"], brand["id"])]
    # The brand's products follow it, as titles.
    assert {s.kind for s in found} == {Kind.BRAND, Kind.PRODUCT}
    assert all(s.text.startswith("Bluepeak Hardware") for s in found)


async def test_suggestions_rank_by_popularity_and_each_text_comes_once(database):
    found = await _suggest(database, "the", 20)
    assert len(found) == 20
    assert [s.weight for s in found] == sorted((s.weight for s in found), reverse=True)
    assert len({s.text.lower() for s in found}) == 20
    # A title is one suggestion for all its formats, weighing their number and ratings.
    girl = (await _suggest(database, "the girl on the train"))[0]
    formats = await (await database.direct()).fetchrow(
        "SELECT count(*) + sum(ratings_count) AS weight, (array_agg(product_id ORDER BY ratings_count DESC,"
        " product_id))[1] AS first FROM search_documents WHERE title = 'The Girl on the Train'")
    assert (girl.weight, girl.ref_id) == (formats["weight"], formats["first"])
    assert formats["weight"] > 1


async def test_a_refresh_brings_a_renamed_title_and_forgets_the_old_one(database):
    async with rolled_back(database) as conn:
        product = await conn.fetchval(
            "SELECT product_id FROM search_documents d WHERE (SELECT count(*) FROM search_documents e"
            " WHERE lower(e.title) = lower(d.title)) = 1 AND title ~ '^[A-Za-z ]+$' ORDER BY product_id LIMIT 1")
        old = await conn.fetchval("SELECT title FROM products WHERE id = $1", product)
        await conn.execute("UPDATE products SET title = 'Quixotic Zephyr Almanac', authors = '{Wilhelmina Quorra}'"
                           " WHERE id = $1", product)
        await search_index.refresh(conn, [product])
        renamed = await search.suggest(conn, "quixotik zep", 8)
        author = await search.suggest(conn, "quorra", 8)
        gone = [s for s in await search.suggest(conn, old, 20) if s.text == old]
        await conn.execute("UPDATE products SET archived_at = now() WHERE id = $1", product)
        await search_index.refresh(conn, [product])
        archived = await search.suggest(conn, "quixotic", 8)
    assert [(s.kind, s.text, s.ref_id) for s in renamed] == [(Kind.PRODUCT, "Quixotic Zephyr Almanac", product)]
    assert [(s.kind, s.text) for s in author] == [(Kind.AUTHOR, "Wilhelmina Quorra")]
    assert gone == []
    assert archived == []


@pytest.mark.parametrize("prefix", [
    "", "   ", "?!.,;:", "😀🎉", ".*", "\\", "%", "_", "%_%", "\x00", "\ud800", "\udfff\ud800", "--",
])
async def test_text_without_words_suggests_nothing_without_a_statement(database, prefix):
    reader = Reader(await database.direct())
    try:
        with count_statements() as counter:
            assert await search.suggest(reader, prefix, 8) == []
    finally:
        await reader.close()
    assert counter.count == 0


@pytest.mark.parametrize("prefix", [
    "'; DROP TABLE products; --", "(a+)+$", "harry%", "harry_potter", "a\x00b", "h\ud800arry", "x" * 100,
    "[[:alpha:]]*", "ha\\rry",
])
async def test_odd_text_is_only_words_to_the_database(database, prefix):
    # Whatever the punctuation, only words are looked up: the result is an ordinary (maybe empty) list.
    found = await _suggest(database, prefix)
    assert all(s.text for s in found)


@pytest.mark.parametrize("prefix, first", [("x" * 101, 8), ("x" * 10_000, 8), (" ".join("ab" * 13), 8),
                                           ("harry", 0), ("harry", 21)])
async def test_limits_are_typed_errors(database, prefix, first):
    with pytest.raises(InvalidInput) as error:
        await _suggest(database, prefix, first)
    assert error.value.code == (SearchErrorCode.QUERY_TOO_LONG if first == 8 else "INVALID_PAGE_SIZE")
