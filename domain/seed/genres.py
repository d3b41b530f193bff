"""Which genre shelf a book goes on.

The data set has no genres, so a keyword match on the title and authors places the famous
series and authors where a reader expects them; the rest are spread by a stable hash.
"""
from __future__ import annotations

import re
import zlib

_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("childrens", (
        "dr. seuss", "eric carle", "maurice sendak", "roald dahl", "shel silverstein",
        "jeff kinney", "mo willems", "beverly cleary", "wimpy kid", "magic tree house",
        "curious george", "goodnight", "very hungry", "berenstain", "junie b", "pete the cat",
        "captain underpants", "winnie-the-pooh", "paddington",
    )),
    ("fantasy", (
        "harry potter", "rowling", "tolkien", "brandon sanderson", "george r.r. martin",
        "rothfuss", "robert jordan", "terry pratchett", "neil gaiman", "rick riordan",
        "cassandra clare", "sarah j. maas", "narnia", "c.s. lewis", "dragon", "wizard", "witch",
        "magic", "throne", "sword", "vampire", "fae", "sorcerer", "elves", "twilight",
    )),
    ("science-fiction", (
        "asimov", "frank herbert", "dune", "philip k. dick", "heinlein", "orson scott card",
        "ender", "star wars", "star trek", "galaxy", "robot", "planet", "martian",
        "hunger games", "suzanne collins", "divergent", "veronica roth", "dystopia",
        "andy weir", "ray bradbury", "h.g. wells", "kurt vonnegut", "maze runner", "1984",
    )),
    ("mystery-thriller", (
        "agatha christie", "james patterson", "john grisham", "lee child", "stieg larsson",
        "harlan coben", "dan brown", "michael connelly", "gillian flynn", "tana french",
        "arthur conan doyle", "sherlock", "jo nesbo", "louise penny", "murder", "mystery",
        "detective", "killer", "crime", "thriller", "gone girl", "girl on the train",
    )),
    ("romance", (
        "nicholas sparks", "nora roberts", "colleen hoover", "sylvia day", "e.l. james",
        "fifty shades", "debbie macomber", "julia quinn", "lisa kleypas", "jojo moyes",
        "sophie kinsella", "jennifer l. armentrout", "love", "kiss", "bride", "romance",
        "duke", "wedding", "outlander",
    )),
    ("non-fiction", (
        "bill bryson", "malcolm gladwell", "david sedaris", "mary roach", "jon krakauer",
        "walter isaacson", "erik larson", "bren\u00e9 brown", "yuval noah harari", "history",
        "memoir", "biography", "guide", "how to", "diary of a young girl", "freakonomics",
        "habits", "essays", "letters", "unbroken", "sapiens", "the power of",
    )),
)

_PATTERNS = tuple(
    (genre, re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b"))
    for genre, keys in _KEYWORDS
)

# Fallback shares, roughly those of a general bookshop's shelves.
_FALLBACK: tuple[tuple[str, int], ...] = (
    ("fiction", 40), ("fantasy", 12), ("mystery-thriller", 14), ("romance", 12),
    ("science-fiction", 8), ("non-fiction", 10), ("childrens", 4),
)
_FALLBACK_TOTAL = sum(weight for _, weight in _FALLBACK)


def genre_of(title: str, authors: list[str]) -> str:
    haystack = f"{title} {' '.join(authors)}".lower()
    for genre, pattern in _PATTERNS:
        if pattern.search(haystack):
            return genre
    # crc32, not hash(): str hashes are salted per process and would break determinism.
    bucket = zlib.crc32(haystack.encode("utf-8")) % _FALLBACK_TOTAL
    for genre, weight in _FALLBACK:
        if bucket < weight:
            return genre
        bucket -= weight
    return "fiction"
