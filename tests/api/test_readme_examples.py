"""The GraphQL examples in the README run without errors, so the README stays true."""
import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README, re.S)


def test_the_readme_has_examples():
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("document", EXAMPLES)
async def test_readme_example_runs(gql, document):
    body = await gql(document)
    assert body["data"] and all(value is not None for value in body["data"].values())
