"""The GraphQL examples in the README and the guides that stand alone (fenced plain ```graphql,
outside the sign-in walkthrough) run without errors, so the documentation stays true."""
import pytest

from tests.docs.guides import ACCOUNTS, README, examples, pages

EXAMPLES = {f"{page.name}-{n}": document for page in pages() if page.name != ACCOUNTS
            for n, document in enumerate(examples(page), 1)}


def test_the_readme_has_examples():
    assert len(examples(README)) >= 2


@pytest.mark.parametrize("document", EXAMPLES.values(), ids=EXAMPLES.keys())
async def test_standalone_example_runs(gql, document):
    body = await gql(document)
    assert body["data"] and all(value is not None for value in body["data"].values())
