"""Typo tolerance, the last word as a prefix, the words as typed on request, and each work once
with its other formats, as `search` shows them."""
from tests.conftest import count_statements

_SEARCH = """query($q: String!, $exact: Boolean! = false, $group: Boolean! = true, $first: Int! = 10) {
  search(query: $q, first: $first, exact: $exact, groupFormats: $group) {
    totalCount correctedQuery
    nodes { id title format authors }
    results { product { id title } otherFormats { id title format } }
  }
}"""


async def _search(gql, q: str, **variables) -> dict:
    return (await gql(_SEARCH, {"q": q, **variables}))["data"]["search"]


async def test_a_correction_is_chosen_by_what_the_whole_query_finds(gql):
    # "hungr" is one typo from both "hunger" and "hungry": the titles decide.
    result = await _search(gql, "hungr games")
    assert result["correctedQuery"] == "hunger games"
    assert result["nodes"][0]["title"].startswith("The Hunger Games")


async def test_a_transposition_is_one_typo(gql):
    rings = await _search(gql, "lord of the rnigs")
    assert rings["correctedQuery"] == "lord of the rings"
    assert "The Lord of the Rings" in rings["nodes"][0]["title"]
    tolkien = await _search(gql, "tolkein")
    assert tolkien["correctedQuery"] == "tolkien"
    assert tolkien["nodes"] and all("J.R.R. Tolkien" in n["authors"] for n in tolkien["nodes"][:3])


async def test_a_known_word_is_kept_unless_the_query_then_finds_nothing(gql):
    hunger = await _search(gql, "hunger")
    assert hunger["correctedQuery"] is None and hunger["totalCount"] > 0
    # both words are in the vocabulary, but no title has them together
    hungry = await _search(gql, "hungry games")
    assert hungry["correctedQuery"] == "hunger games"


async def test_short_words_are_not_corrected_within_the_budget(gql):
    # "rie" (3 letters) forgives no typo, and no word starts with it
    result = await _search(gql, "the catcher in the rie")
    assert result["totalCount"] == 0


async def test_exact_searches_the_words_as_typed(gql):
    corrected = await _search(gql, "hungr games")
    exact = await _search(gql, "hungr games", exact=True)
    assert corrected["totalCount"] > 0
    assert exact["correctedQuery"] is None and exact["totalCount"] == 0 and exact["nodes"] == []


async def test_the_last_word_matches_as_a_prefix(gql):
    result = await _search(gql, "the girl on the trai")
    assert result["correctedQuery"] is None
    assert result["nodes"][0]["title"] == "The Girl on the Train"


async def test_an_authors_books_come_first(gql):
    result = await _search(gql, "stephen king")
    assert result["nodes"] and all("Stephen King" in n["authors"] for n in result["nodes"])


async def test_each_work_appears_once_with_its_other_formats(gql):
    grouped = await _search(gql, "the hobbit", first=50)
    every = await _search(gql, "the hobbit", first=50, group=False)
    hobbit = grouped["results"][0]
    assert hobbit["product"]["title"] == "The Hobbit"
    formats = {hobbit["product"]["id"]} | {p["id"] for p in hobbit["otherFormats"]}
    assert len(formats) >= 2 and all(p["title"] == "The Hobbit" for p in hobbit["otherFormats"])
    # grouped, no other result is a format of a work already listed
    listed = [r["product"]["id"] for r in grouped["results"]]
    assert not set(listed[1:]) & formats
    # every format listed, and counted, when asked
    assert formats <= {n["id"] for n in every["nodes"]}
    assert every["totalCount"] == len(every["nodes"]) > grouped["totalCount"] == len(grouped["nodes"])
    assert all(r["otherFormats"] == [] for r in every["results"])


async def test_statements_stay_bounded_with_corrections_and_other_formats(gql):
    counts = {}
    for q in ("harry potter", "hungr games", "hary poter"):
        with count_statements() as counter:
            await gql(_SEARCH, {"q": q, "first": 50})
        counts[q] = counter.count
    # as typed: vocabulary, the page's products (its ids and their products in one), totalCount
    # (the facets statement), other formats; a typo adds the count of the spellings within the
    # budget, and of the lenient ones when those find nothing
    assert counts == {"harry potter": 4, "hungr games": 5, "hary poter": 6}, counts
