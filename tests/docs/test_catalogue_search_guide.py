"""The catalogue guide's search examples show what they say: a typo corrected in context, a title
typed halfway, and the words searched as typed on request."""
import re

from tests.docs.guides import DOCS, section_fences

OPERATIONS = {re.search(r"query (\w+)", d).group(1): d
              for _, d in section_fences(DOCS / "catalogue.md", "Search as shoppers type")}


async def test_a_typo_is_corrected_in_context_and_each_work_comes_once(gql):
    result = (await gql(OPERATIONS["SearchWithATypo"]))["data"]["search"]
    assert result["correctedQuery"] == "hunger games" and result["totalCount"] > 0
    first = result["results"][0]
    assert first["product"]["title"].startswith("The Hunger Games")
    assert first["otherFormats"] and first["product"]["format"] not in {f["format"] for f in first["otherFormats"]}


async def test_the_last_word_is_a_prefix(gql):
    result = (await gql(OPERATIONS["SearchAsYouType"]))["data"]["search"]
    assert result["correctedQuery"] is None
    assert result["nodes"][0]["title"] == "The Girl on the Train"


async def test_exact_searches_as_typed(gql):
    result = (await gql(OPERATIONS["SearchAsTyped"]))["data"]["search"]
    assert result == {"totalCount": 0, "correctedQuery": None, "nodes": []}
