"""The README and the guides in docs/, and the GraphQL examples fenced in them, for the tests
that run those examples as a reader would copy them."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
# The sign-in walkthrough's steps are plain ```graphql blocks, so its guide is left out of the
# stand-alone examples and has a test of its own.
ACCOUNTS = "accounts.md"
# Other walkthroughs fence their steps as ```graphql <tag>: a step needs the values the steps
# before it returned, so only the guide's own test can run it. Each tag lives in one guide.
WALKTHROUGHS = {"cart": "carts.md", "checkout": "checkout.md", "orders": "orders.md",
                "service": "customer-service.md", "library": "library.md", "reading": "reading-sync.md",
                "ereader": "ereader-walkthrough.md", "video": "videos.md", "errors": "api-conventions.md",
                "reviews": "reviews.md", "review-writes": "reviews.md", "moderation": "reviews.md",
                "question-moderation": "questions-moderation.md",
                "questions": "questions.md",
                "history": "browsing-history.md",
                "readme": README.name,
                "prime": "prime.md", "prime-reading": "prime.md", "prime-card": "prime.md",
                "prime-walkthrough": "prime-walkthrough.md",
                "lending": "library.md",
                "subscribe": "subscribe-and-save.md",
                "member-prices": "catalogue.md",
                "profiles": "profiles.md",
                "lists": "lists.md",
                "brands": "brand-campaigns.md",
                "recommendations": "recommendations.md",
                "search": "search.md", "webhooks": "webhooks.md", "webhook-payload": "webhooks.md"}

_GRAPHQL_FENCE = re.compile(r"^```graphql(?: (\S+))?\n(.*?)^```", re.S | re.M)


def page_named(name: str) -> Path:
    """The README or the guide of that file name."""
    return README if name == README.name else DOCS / name


def pages() -> list[Path]:
    """The README, then every guide."""
    return [README, *sorted(DOCS.glob("*.md"))]


def fences(page: Path) -> list[tuple[str | None, str]]:
    """Each ```graphql block of a page, in order, as (its tag or None, its document)."""
    return _fences(page.read_text())


def section_fences(page: Path, heading: str) -> list[tuple[str | None, str]]:
    """Each ```graphql block under the page's `## <heading>`, up to the next `## ` heading."""
    found = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", page.read_text(), re.S | re.M)
    assert found is not None, f"no section {heading!r} in {page.name}"
    return _fences(found.group(1))


def _fences(text: str) -> list[tuple[str | None, str]]:
    return [(tag or None, document) for tag, document in _GRAPHQL_FENCE.findall(text)]


def examples(page: Path, tag: str | None = None) -> list[str]:
    """The documents of the page's ```graphql blocks with this tag (None: the untagged ones)."""
    return [document for found, document in fences(page) if found == tag]


def steps(guide: str, tag: str | None = None) -> dict[str, str]:
    """A walkthrough's documents in docs/<guide>, by operation name, in the guide's order."""
    return {re.search(r"(?:mutation|query) (\w+)", document).group(1): document
            for document in examples(DOCS / guide, tag)}


def ok(body: dict, field: str) -> dict:
    """The mutation's or query's result, after checking it has neither errors nor userErrors."""
    assert "errors" not in body, body
    result = body["data"][field]
    assert result is not None, body
    assert not isinstance(result, dict) or result.get("userErrors", []) == [], result
    return result
