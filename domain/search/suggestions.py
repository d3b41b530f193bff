"""Search-box suggestions: titles, authors, brands and categories completing what a shopper is
typing, forgiving typos, most popular first.

Rules:
- The text typed is split into words on white space and punctuation (as the dictionary splits
  its entries, `domain/marketplace/search_suggestions.py`); text without a word suggests nothing.
  At most 100 characters and 12 words.
- Every word but the last is a whole word: it matches an entry's word equal to it, or within the
  search's typo budget for its length (0 typos below 5 letters, 1 from 5, 2 from 9; a
  transposition of two neighbouring letters is one typo).
- The last word is being typed: it matches the start of an entry's word. It may have as many
  typos as the word it completes allows by that budget ("hary" -> "harry", a 5-letter word: 1),
  and at most one per letter typed beyond the third, so one or two letters never match by typo.
- An entry matches when every word matches one of its words. Entries rank by popularity (the
  number of products they stand for plus their ratings), each typo dividing it by ten, so an
  exact completion wins over a misspelt one of similar popularity; each text is suggested once.

Two statements, whatever the catalogue's size: the known words the typed ones may stand for
(btree range for the prefix as typed, trigram index for a misspelt one, then the exact typo
count here), then the most popular entries under those words (an index in weight order per word).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from domain.search.entities import MAX_QUERY_WORDS
from domain.search.errors import SearchErrorCode
from domain.search.spelling import damerau
from domain.search.statuses import SearchSuggestionKind
from domain.shared.db import Reader
from domain.shared.errors import CommonErrorCode, InvalidInput

MAX_PREFIX_LENGTH = 100
MAX_SUGGESTIONS = 20
ONE_TYPO_FROM = 5
TWO_TYPOS_FROM = 9
# Typos beyond the third letter typed only: below that a typo matches almost anything.
EXACT_LEADING_LETTERS = 3
# Known words considered per typed word, and entries read per known word when other words must
# also match (the most popular ones: what a suggestion list shows anyway).
_CANDIDATE_WORDS = 20
_ENTRIES_PER_WORD_FILTERED = 200
_TYPO_PENALTY = 10

# Letters and digits in any script; `_` and everything else separates words (NUL, lone
# surrogates and emoji included, so they never reach the database).
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: SearchSuggestionKind
    text: str
    # The product (its most popular format), brand or category; None for an author.
    ref_id: int | None
    weight: int
    typos: int


def typo_budget(length: int) -> int:
    """Typos forgiven in a word of this many letters (the same budget as search)."""
    return 2 if length >= TWO_TYPOS_FROM else 1 if length >= ONE_TYPO_FROM else 0


def prefix_distance(typed: str, word: str, budget: int) -> int | None:
    """Fewest typos (optimal string alignment: substitution, insertion, deletion, transposition
    of neighbours) between `typed` and some start of `word`; None when above `budget`."""
    n, m = len(typed), min(len(word), len(typed) + budget)
    previous2: list[int] = []
    previous = list(range(m + 1))
    for i in range(1, n + 1):
        row = [i] + [0] * m
        for j in range(1, m + 1):
            cost = 0 if typed[i - 1] == word[j - 1] else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and typed[i - 1] == word[j - 2] and typed[i - 2] == word[j - 1]:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    best = min(previous[max(0, n - budget):m + 1], default=budget + 1)
    return best if best <= budget else None


def word_distance(typed: str, word: str, budget: int) -> int | None:
    """Fewest typos between `typed` and the whole `word`; None when above `budget`."""
    if abs(len(typed) - len(word)) > budget:
        return None
    distance = damerau(typed, word, budget)
    return distance if distance <= budget else None


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _validate(prefix: str, limit: int) -> list[str]:
    if len(prefix) > MAX_PREFIX_LENGTH:
        raise InvalidInput(f"The prefix is {len(prefix)} characters long; the limit is {MAX_PREFIX_LENGTH}.",
                           code=SearchErrorCode.QUERY_TOO_LONG, field=["prefix"])
    if not 1 <= limit <= MAX_SUGGESTIONS:
        raise InvalidInput(f"first must be between 1 and {MAX_SUGGESTIONS}.",
                           code=CommonErrorCode.INVALID_PAGE_SIZE, field=["first"])
    words = words_of(prefix)
    if len(words) > MAX_QUERY_WORDS:
        raise InvalidInput(f"The prefix has {len(words)} words; the limit is {MAX_QUERY_WORDS}.",
                           code=SearchErrorCode.QUERY_TOO_LONG, field=["prefix"])
    return words


def _upper_bound(prefix: str) -> str:
    """A string above every string starting with `prefix` and below the others (byte order),
    to bound the index range of the words it starts."""
    last = ord(prefix[-1])
    if last == 0x10FFFF:
        return prefix + chr(0x10FFFF)
    return prefix[:-1] + chr(0xE000 if last == 0xD7FF else last + 1)  # surrogates are not text


# Per typed word (`pos`; the spellings tried: as typed, and for a word that may have typos each
# swap of two neighbouring letters, which trigrams miss): the known words starting with it (the
# word being typed) or equal to it (the others), and for a word that may have typos the
# trigram-similar ones. `popularity`: the weight of the best entries a word leads to, to tell a
# likely correction ("harry") from an unlikely one ("hardware") among equally close words.
_CANDIDATES = f"""
SELECT q.pos, c.word, c.weight,
       (SELECT sum(p.weight) FROM (SELECT w.weight FROM search_suggestion_words w WHERE w.word = c.word
                                   ORDER BY w.weight DESC LIMIT {_CANDIDATE_WORDS}) p)::bigint AS popularity
FROM unnest($1::text[], $2::text[], $3::boolean[], $4::int[]) AS q(word, upper, fuzzy, pos)
CROSS JOIN LATERAL (
  (SELECT t.word, t.weight FROM search_suggestion_terms t
   WHERE q.pos = $5 AND t.word ~>=~ q.word AND t.word ~<~ q.upper
     AND starts_with(t.word, q.word)
   ORDER BY t.weight DESC, t.word LIMIT {_CANDIDATE_WORDS})
  UNION
  (SELECT t.word, t.weight FROM search_suggestion_terms t WHERE q.pos < $5 AND t.word = q.word)
  UNION
  (SELECT t.word, t.weight FROM search_suggestion_terms t
   WHERE q.fuzzy AND (t.word % q.word OR q.word <% t.word)
   ORDER BY similarity(t.word, q.word) DESC, t.weight DESC, t.word LIMIT {_CANDIDATE_WORDS * 2})
) c
"""

_ENTRIES = """
SELECT s.id, s.kind::text AS kind, s.text, s.ref_id, s.weight, s.words
FROM (
  SELECT DISTINCT ON (p.suggestion_id) p.suggestion_id, c.factor
  FROM unnest($1::text[], $2::float8[]) AS c(word, factor)
  CROSS JOIN LATERAL (
    SELECT w.suggestion_id FROM search_suggestion_words w
    WHERE w.word = c.word ORDER BY w.weight DESC, w.suggestion_id LIMIT $3
  ) p
  ORDER BY p.suggestion_id, c.factor DESC
) m
JOIN search_suggestions s ON s.id = m.suggestion_id
WHERE {others}
ORDER BY s.weight * m.factor DESC, s.id
LIMIT $4
"""


def _spellings(words: list[str]) -> tuple[list[str], list[str], list[bool], list[int]]:
    """The rows of `_CANDIDATES`: each word as typed, and its swaps when it may have typos."""
    last = len(words)
    rows: list[tuple[str, str, bool, int]] = []
    for pos, word in enumerate(words, 1):
        # The last word's budget depends on the word it completes; the others' on their length.
        fuzzy = len(word) > EXACT_LEADING_LETTERS if pos == last else typo_budget(len(word)) > 0
        rows.append((word, _upper_bound(word), fuzzy, pos))
        if fuzzy:
            for i in range(len(word) - 1):
                swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
                if swapped != word:
                    rows.append((swapped, _upper_bound(swapped), False, pos))
    columns = list(zip(*rows))
    return list(columns[0]), list(columns[1]), list(columns[2]), list(columns[3])


async def suggest(reader: Reader, prefix: str, limit: int) -> list[Suggestion]:
    """Entries completing `prefix` (see the module's rules), at most `limit` (1-20)."""
    words = _validate(prefix, limit)
    if not words:
        return []
    last = len(words)
    rows = await reader.fetch(_CANDIDATES, *_spellings(words), last)
    # For each typed word: {known word: how much an entry found through it keeps of its weight}.
    factors: list[dict[str, float]] = [{} for _ in words]
    typo_counts: list[dict[str, int]] = [{} for _ in words]
    popularity: dict[str, int] = {}
    for pos, word, _, word_popularity in rows:
        typed = words[pos - 1]
        if pos == last:
            budget = min(typo_budget(len(word)), max(0, len(typed) - EXACT_LEADING_LETTERS))
            typos = 0 if word.startswith(typed) else prefix_distance(typed, word, budget)
        else:
            typos = word_distance(typed, word, typo_budget(len(typed)))
        if typos is not None:
            typo_counts[pos - 1][word] = typos
            popularity[word] = word_popularity or 0
    if not all(typo_counts):
        return []
    for counts, found in zip(typo_counts, factors):
        # A correction keeps its share of the most popular correction's popularity: among
        # words one typo away, "harry" leads to far more than "hardware".
        corrected = [w for w, t in counts.items() if t]
        most = max((popularity[w] for w in corrected), default=0) or 1
        for word, typos in counts.items():
            found[word] = 1.0 if not typos else popularity[word] / most / _TYPO_PENALTY ** typos
        for word in sorted(found, key=lambda w: (-found[w] * popularity[w], w))[_CANDIDATE_WORDS:]:
            del found[word]
    # The entries of one typed word's known words, filtered by the others': the longest word
    # typed is likely the rarest, so its entries are the fewest to filter.
    driver = max(range(last), key=lambda i: (len(words[i]), i))
    others = [f for i, f in enumerate(factors) if i != driver]
    conditions = " AND ".join(f"s.words && ${5 + i}::text[]" for i in range(len(others))) or "true"
    per_word = limit * 3 if not others else _ENTRIES_PER_WORD_FILTERED
    driving = factors[driver]
    entries = await reader.fetch(
        _ENTRIES.format(others=conditions),
        list(driving), list(driving.values()), per_word, limit * 3, *[list(f) for f in others],
    )
    suggestions = []
    for row in entries:
        entry_words = set(row["words"])
        score, typos = float(row["weight"]), 0
        for found, counts in zip(factors, typo_counts):
            best = max((w for w in found if w in entry_words), key=lambda w: found[w], default=None)
            if best is not None:
                score *= found[best]
                typos += counts[best]
        suggestions.append((score, Suggestion(SearchSuggestionKind(row["kind"]), row["text"], row["ref_id"],
                                              row["weight"], typos)))
    suggestions.sort(key=lambda pair: (-pair[0], pair[1].text))
    seen: set[str] = set()
    unique = []
    for _, s in suggestions:
        if s.text.lower() not in seen:
            seen.add(s.text.lower())
            unique.append(s)
    return unique[:limit]
