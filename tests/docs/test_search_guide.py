"""The search guide's examples run as written and show what the guide says: typos corrected,
the last word completed, and typo-tolerant suggestions of each kind with their objects."""

from tests.docs.guides import ok, steps

STEPS = steps("search.md", "search")


def test_the_guide_has_its_examples():
    assert list(STEPS) == ["SearchWithTypos", "SearchAsYouType", "SuggestWhileTyping", "SuggestAnAuthor",
                           "SuggestACategory"]


async def test_a_misspelt_search_is_corrected_and_finds_the_books(gql):
    result = ok(await gql(STEPS["SearchWithTypos"]), "search")
    assert result["correctedQuery"] == "harry potter"
    assert result["nodes"] and result["nodes"][0]["title"].startswith("Harry Potter")


async def test_the_last_word_of_a_search_is_completed(gql):
    result = ok(await gql(STEPS["SearchAsYouType"]), "search")
    assert result["nodes"][0]["title"] == "The Girl on the Train"


async def test_a_misspelt_prefix_suggests_the_titles_with_their_products(gql):
    suggestions = ok(await gql(STEPS["SuggestWhileTyping"]), "searchSuggestions")
    assert len(suggestions) == 5
    for s in suggestions:
        assert (s["kind"], s["brand"], s["category"]) == ("PRODUCT", None, None)
        assert s["text"].startswith("Harry Potter") and s["product"]["title"] == s["text"]


async def test_an_author_is_suggested_from_the_start_of_the_name(gql):
    first = ok(await gql(STEPS["SuggestAnAuthor"]), "searchSuggestions")[0]
    assert first == {"text": "J.R.R. Tolkien", "kind": "AUTHOR", "product": None}


async def test_a_category_is_suggested_with_its_id(gql):
    first = ok(await gql(STEPS["SuggestACategory"]), "searchSuggestions")[0]
    assert (first["text"], first["kind"], first["category"]["name"]) == ("Fiction", "CATEGORY", "Fiction")
    category = ok(await gql("query($id: ID!) { node(id: $id) { id ... on Category { name } } }",
                            {"id": first["category"]["id"]}), "node")
    assert category["name"] == "Fiction"
