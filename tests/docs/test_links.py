"""The README is the front page: it stays short, links every guide in docs/, and every relative
link in it and in the guides leads to a file and heading that exist. Each walkthrough step sits
in the guide whose test runs it, so no example goes unrun."""
import re
from pathlib import Path

import pytest

from tests.docs.guides import ACCOUNTS, DOCS, README, ROOT, WALKTHROUGHS, fences, page_named, pages

_FENCED = re.compile(r"^```.*?^```", re.S | re.M)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_HEADING = re.compile(r"^#{1,6} +(.+?) *#*$", re.M)
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?: +\"[^\"]*\")?\)")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _prose(page: Path) -> str:
    """The page without its code, where a `#` or a `[x](y)` is not Markdown."""
    return _FENCED.sub("", page.read_text())


def _anchors(page: Path) -> set[str]:
    """The ids GitHub gives the page's headings: lower case, punctuation dropped, spaces as
    hyphens, and -1, -2... after a repeated one."""
    anchors: set[str] = set()
    repeats: dict[str, int] = {}
    for heading in _HEADING.findall(_prose(page)):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        repeats[slug] = repeats.get(slug, -1) + 1
        anchors.add(slug if repeats[slug] == 0 else f"{slug}-{repeats[slug]}")
    return anchors


def _relative_links(page: Path) -> list[str]:
    return [target for target in _LINK.findall(_CODE_SPAN.sub("", _prose(page))) if not _SCHEME.match(target)]


def test_the_readme_stays_a_front_page():
    assert len(README.read_text().splitlines()) < 300


def test_every_guide_is_linked_from_the_readme():
    linked = {(README.parent / target.partition("#")[0]).resolve() for target in _relative_links(README)}
    guides = sorted(DOCS.glob("*.md"))
    assert len(guides) >= 10
    assert [guide.name for guide in guides if guide.resolve() not in linked] == []


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page):
    broken = []
    for target in _relative_links(page):
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() or (anchor and (linked.suffix != ".md" or anchor not in _anchors(linked))):
            broken.append(target)
    assert broken == []


def test_every_walkthrough_step_is_in_the_guide_whose_test_runs_it():
    misplaced = [(page.name, tag) for page in pages() for tag, _ in fences(page)
                 if tag is not None and WALKTHROUGHS.get(tag) != page.name]
    assert misplaced == []
    assert all(any(tag == wanted for tag, _ in fences(page_named(guide))) for wanted, guide in WALKTHROUGHS.items())
    assert fences(DOCS / ACCOUNTS) and all(tag is None for tag, _ in fences(DOCS / ACCOUNTS))
