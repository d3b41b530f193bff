"""A last word of one or two letters is a prefix only after other words ("catching fi"), and
then filters what they find instead of being looked up in the text index (where it would start a
good part of the catalogue's words)."""
from domain.search import service as search
from domain.search.entities import SearchSpec
from domain.shared.pagination import PageRequest
from tests.fixtures.db import rolled_back


async def test_a_short_last_word_filters_what_the_other_words_find(database):
    async with rolled_back(database) as conn:
        catching = await search.prepare(conn, SearchSpec(query="catching fi"))
        page = await search.find_products(conn, catching, PageRequest(0, 5))
        alone = await search.prepare(conn, SearchSpec(query="fi"))
        # only stop words besides it: nothing for the index to look up, so it is a word as typed
        stop = await search.prepare(conn, SearchSpec(query="the st"))
    assert (catching.query.tsquery, catching.query.indexed_tsquery) == ("'catching' & 'fi':*", "'catching'")
    assert page.items[0].title.startswith("Catching Fire")
    assert (alone.query.tsquery, alone.query.indexed_tsquery) == ("'fi'", None)
    assert (stop.query.tsquery, stop.query.indexed_tsquery) == ("'the' & 'st'", None)

