"""Typo tolerance: how many typos a word may have, and which spellings of a query to try.

Rules (as shoppers know them from Meilisearch and Typesense): a word forgives no typo below
`search_one_typo_min_length` letters (5), one from there, two from `search_two_typos_min_length`
(9); a typo is an insertion, a deletion, a substitution or a transposition of two neighbours
(Damerau distance: "rnigs" is one typo from "rings"). A word that is in the catalogue's
vocabulary is never corrected, unless the whole query then finds nothing. Among the spellings
within the budget, the one with the fewest typos wins (a doubled letter typed once or a
letter typed twice, "hobit" or "hobbbit", the commonest slip of all, counts as half a typo: "the
hobit" is "the hobbit" before "the habit"), and among those the one whose *whole*
query finds the most products ("hungr games": "hunger games", not "hungry games"). When no
spelling within the budget finds anything, words of 4+ letters get one typo more (capped at
two): "hary poter" still finds Harry Potter.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from rapidfuzz.distance import OSA

# At most this many spellings of one word, and of a whole query, are counted.
OPTIONS_PER_WORD = 3
MAX_COMBINATIONS = 16
# The lenient second pass's shortest word.
LENIENT_MIN_LENGTH = 4
# The text index looks a prefix up from this many letters: "a" or "th" starts a good part of
# any catalogue's words, and looking it up would read as many documents. A shorter last word is a
# prefix only after other words ("catching fi"): it then filters what they find (`indexed`).
PREFIX_MIN_LENGTH = 3


def as_prefix(word: str, last: bool, anchored: bool) -> bool:
    """Whether a query word is matched as the start of a word: the last one, when it is long
    enough for the index or `anchored` (other words of the query find the documents)."""
    return last and (len(word) >= PREFIX_MIN_LENGTH or anchored)


def short_prefix(s: Spelling) -> bool:
    """A prefix too short to look up in the text index: it only filters."""
    return s.prefix and len(s.word) < PREFIX_MIN_LENGTH


@dataclass(frozen=True, slots=True)
class Budget:
    one_typo_min_length: int = 5
    two_typos_min_length: int = 9

    @property
    def shortest(self) -> int:
        """The shortest word that may be corrected at all (in the lenient pass, at least)."""
        return min(self.one_typo_min_length, LENIENT_MIN_LENGTH)

    def typos(self, word: str, lenient: bool = False) -> int:
        n = len(word)
        allowed = 2 if n >= self.two_typos_min_length else 1 if n >= self.one_typo_min_length else 0
        if lenient and n >= LENIENT_MIN_LENGTH:
            allowed = min(2, allowed + 1)
        return allowed


def damerau(a: str, b: str, limit: int) -> int:
    """The optimal-string-alignment distance of a and b (a swapped pair of neighbours is one
    edit), or limit + 1 when it exceeds limit."""
    return OSA.distance(a, b, score_cutoff=limit)


def doubling_slip(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one letter of a double typed once, or one letter typed
    twice."""
    short, long = sorted((typed, word), key=len)
    if len(long) != len(short) + 1:
        return False
    # At the first difference, the longer word's letter repeats the one before it (were it
    # the next one's double, the words would not differ there).
    i = next((i for i, (a, b) in enumerate(zip(short, long)) if a != b), len(short))
    return i > 0 and long[i] == long[i - 1] and long[:i] + long[i + 1:] == short


@dataclass(frozen=True, slots=True)
class Spelling:
    """One way to read a query word: the word searched, its typos (`slips` of them doubling
    slips), and whether it is a prefix."""

    word: str
    typos: int = 0
    prefix: bool = False
    slips: int = 0


@dataclass(slots=True)
class WordInfo:
    """What the vocabulary says about one query word."""

    word: str
    known: bool  # a word of some title, author or brand
    starts_known: bool  # the beginning of such a word (matters for the last word only)
    candidates: list[tuple[str, int]]  # (vocabulary word, documents) close by trigrams


def options(info: WordInfo, budget: Budget, *, last: bool, lenient: bool, anchored: bool = False) -> list[Spelling]:
    """The spellings to try for one word; the word itself first when it may stand."""
    stands = info.known or (last and info.starts_known)
    own = Spelling(info.word, 0, prefix=as_prefix(info.word, last, anchored))
    if stands and not lenient:
        return [own]
    allowed = budget.typos(info.word, lenient)
    close = []
    if allowed:
        for word, documents in info.candidates:
            if word == info.word:
                continue
            d = damerau(info.word, word, allowed)
            if d <= allowed:
                slip = int(d == 1 and doubling_slip(info.word, word))
                close.append((d - slip / 2, -documents, word, d, slip))
    close.sort()
    found = [Spelling(w, d, prefix=as_prefix(w, last, anchored), slips=slip)
             for _, _, w, d, slip in close[:OPTIONS_PER_WORD]]
    return [own, *found] if stands or not found else found


def combinations(per_word: list[list[Spelling]]) -> list[tuple[Spelling, ...]]:
    """Whole-query spellings, fewest typos first, at most MAX_COMBINATIONS of them (a beam)."""
    beam: list[tuple[Spelling, ...]] = [()]
    for opts in per_word:
        beam = sorted((c + (o,) for c in beam for o in opts), key=_typos)
        beam = list(islice(beam, MAX_COMBINATIONS))
    return beam


def _typos(combination: tuple[Spelling, ...]) -> float:
    return sum(s.typos - s.slips / 2 for s in combination)


def tsquery(combination: tuple[Spelling, ...], weights: str = "", indexed: bool = False) -> str:
    """`to_tsquery` text: every word required, the prefix one as `:*`, optionally only in the
    parts of the document of these weights; `indexed`: without a short prefix (what the text
    index looks up). Words are `\\w+` runs, so quoting them is enough to keep the query's
    syntax out of the user's hands."""
    return " & ".join(_term(s, weights) for s in combination if not (indexed and short_prefix(s)))


def typed_prefix(combination: tuple[Spelling, ...]) -> str | None:
    """The last word's text for `repository.TYPED_PREFIX`, when it is searched as a prefix.

    The text index holds stems, and the prefix `to_tsquery` builds is a prefix of the typed
    word's stem: "coffe" stems to "coff", which starts "coffin" and "coffey" as well as
    "coffe(e)". The documents matched are narrowed to those with a word that starts with the
    letters as typed, or that is the typed word itself by its stem ("babies" typed in full).
    Numbers are not stemmed: none needed."""
    last = combination[-1] if combination else None
    if last is None or not last.prefix or last.word.isdigit():
        return None
    return f"'{last.word}'"


def _term(s: Spelling, weights: str) -> str:
    label = ("*" if s.prefix else "") + weights
    term = f"'{s.word}'" + (f":{label}" if label else "")
    # The parser reads "Catch-22" as "catch" and the signed number "-22": a number also
    # matches its negative.
    return f"({term} | '-{term[1:]})" if s.word.isdigit() else term


# Spellings are compared first by what they find in titles, authors and brands (weights A and
# B): a pair of common words in descriptions ("hard", "power") is no context for a title.
CONTEXT_WEIGHTS = "AB"


def choose(counted: list[tuple[tuple[Spelling, ...], tuple[int, int]]]) -> tuple[Spelling, ...] | None:
    """Among the spellings that find something, the one with the fewest typos, then the one
    that finds most in titles, authors and brands, then anywhere (counts: (in context,
    anywhere)); None when none finds anything."""
    finding = [(c, n) for c, n in counted if n[1] > 0]
    if not finding:
        return None
    return min(finding, key=lambda cn: (_typos(cn[0]), -cn[1][0], -cn[1][1]))[0]
