"""The GraphQL examples in the README run without errors, so the README stays true."""
import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
SIGN_IN_SECTION = "## Accounts and sign-in"
# Examples outside the sign-in walkthrough need no account (that one has its own test).
_before, _, _rest = README.partition(SIGN_IN_SECTION)
EXAMPLES = re.findall(r"```graphql\n(.*?)```", _before + _rest[_rest.find("\n## "):], re.S)


def test_the_readme_has_examples():
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("document", EXAMPLES)
async def test_readme_example_runs(gql, document):
    body = await gql(document)
    assert body["data"] and all(value is not None for value in body["data"].values())
