"""Typo budget by word length and the Damerau distance (pure rules of `domain.search.spelling`)."""
import pytest

from domain.search.spelling import (
    Budget,
    Spelling,
    WordInfo,
    choose,
    damerau,
    doubling_slip,
    options,
    tsquery,
    typed_prefix,
)


@pytest.mark.parametrize(("a", "b", "distance"), [
    ("rings", "rings", 0),
    ("rnigs", "rings", 1),  # transposition
    ("hungr", "hunger", 1),  # deletion
    ("hobbitt", "hobbit", 1),  # insertion
    ("pottar", "potter", 1),  # substitution
    ("mockngbirdd", "mockingbird", 2),
    ("abc", "xyz", 3),
])
def test_damerau_counts_a_transposition_as_one_typo(a, b, distance):
    assert damerau(a, b, 3) == distance


def test_damerau_stops_past_its_limit():
    assert damerau("tolkein", "rowling", 1) == 2
    assert damerau("a", "abcd", 1) == 2


def test_budget_by_word_length_and_its_lenient_step():
    budget = Budget()
    assert [budget.typos("x" * n) for n in (3, 4, 5, 8, 9, 12)] == [0, 0, 1, 1, 2, 2]
    assert [budget.typos("x" * n, lenient=True) for n in (3, 4, 5, 9)] == [0, 1, 2, 2]
    assert Budget(4, 7).typos("xxxx") == 1 and Budget(4, 7).typos("xxxxxxx") == 2


def test_a_known_word_stands_and_an_unknown_one_gets_close_words_within_budget():
    budget = Budget()
    known = WordInfo("hunger", True, True, [("hungry", 10)])
    assert options(known, budget, last=False, lenient=False) == [Spelling("hunger")]
    typo = WordInfo("hungr", False, False, [("hungry", 50), ("hunger", 10), ("hunters", 90)])
    assert [s.word for s in options(typo, budget, last=False, lenient=False)] == ["hungry", "hunger"]
    short = WordInfo("hary", False, False, [("harry", 10)])
    assert options(short, budget, last=False, lenient=False) == [Spelling("hary")]
    assert options(short, budget, last=False, lenient=True) == [Spelling("harry", 1, slips=1)]


def test_the_last_word_stands_as_a_prefix():
    info = WordInfo("trai", False, True, [])
    assert options(info, Budget(), last=True, lenient=False) == [Spelling("trai", 0, prefix=True)]


def test_a_last_word_under_three_letters_is_a_prefix_only_after_other_words_and_only_filters():
    # "th" alone as a prefix would start a good part of the catalogue's words
    assert options(WordInfo("th", False, False, []), Budget(), last=True, lenient=False) == [Spelling("th", 0)]
    assert options(WordInfo("fi", False, False, []), Budget(), last=True, lenient=False, anchored=True) == \
        [Spelling("fi", 0, prefix=True)]
    assert options(WordInfo("tra", False, True, []), Budget(), last=True, lenient=False) == \
        [Spelling("tra", 0, prefix=True)]
    # the index looks up the other words; the short prefix filters what they find
    catching_fi = (Spelling("catching"), Spelling("fi", prefix=True))
    assert tsquery(catching_fi) == "'catching' & 'fi':*"
    assert tsquery(catching_fi, "AB", indexed=True) == "'catching':AB"
    assert tsquery((Spelling("girl"), Spelling("tra", prefix=True)), indexed=True) == "'girl' & 'tra':*"


def test_the_spelling_that_finds_something_with_fewest_typos_then_most_results_wins():
    hungry = (Spelling("hungry", 1), Spelling("games"))
    hunger = (Spelling("hunger", 1), Spelling("games"))
    far = (Spelling("hunters", 2), Spelling("games"))
    assert choose([(hungry, (0, 0)), (hunger, (12, 30)), (far, (40, 90))]) == hunger
    assert choose([(hungry, (3, 3)), (hunger, (12, 12))]) == hunger
    # titles, authors and brands first: common words in descriptions are no context
    assert choose([(hungry, (0, 500)), (hunger, (2, 2))]) == hunger
    # a spelling found only in descriptions still beats nothing
    assert choose([(hungry, (0, 0)), (hunger, (0, 3))]) == hunger
    assert choose([(hungry, (0, 0))]) is None


def test_tsquery_quotes_words_marks_the_prefix_and_matches_a_number_after_a_hyphen():
    assert tsquery((Spelling("girl"), Spelling("trai", prefix=True))) == "'girl' & 'trai':*"
    assert tsquery((Spelling("catch"), Spelling("22", prefix=True)), "AB") == "'catch':AB & ('22':*AB | '-22':*AB)"


@pytest.mark.parametrize(("typed", "word", "slip"), [
    ("hobit", "hobbit", True), ("hobbbit", "hobbit", True), ("tomorow", "tomorrow", True),
    ("habit", "hobbit", False), ("hungr", "hunger", False), ("abc", "abcd", False),
])
def test_a_double_letter_typed_once_or_a_letter_typed_twice_is_a_doubling_slip(typed, word, slip):
    assert doubling_slip(typed, word) is slip


def test_a_doubling_slip_counts_half_a_typo_so_it_wins_among_equally_close_spellings():
    hobit = WordInfo("hobit", False, False, [("habit", 900), ("hobbit", 40)])
    assert [s.word for s in options(hobit, Budget(), last=False, lenient=False)] == ["hobbit", "habit"]
    the = Spelling("the")
    # "the habit" finds more, but "the hobbit" is a half-typo away
    counted = [((the, Spelling("habit", 1)), (90, 900)), ((the, Spelling("hobbit", 1, slips=1)), (4, 40))]
    assert choose(counted) == (the, Spelling("hobbit", 1, slips=1))


def test_the_last_word_narrows_by_its_letters_as_typed():
    assert typed_prefix((Spelling("black"), Spelling("coffe", prefix=True))) == "'coffe'"
    assert typed_prefix((Spelling("coffee"),)) is None  # not a prefix
    assert typed_prefix((Spelling("catch"), Spelling("22", prefix=True))) is None  # numbers are not stemmed
