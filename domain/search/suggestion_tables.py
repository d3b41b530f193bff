"""The suggestions dictionary: every title, author, brand and category once, with a popularity
weight, and its words, so that completing a prefix (with typos) is a few index lookups however
many products there are.

`search_suggestions` holds the entries, `search_suggestion_words` one row per (word, entry) in
weight order (the most popular entries with a word are the first index entries under it), and
`search_suggestion_terms` the distinct words, to find the words a typed prefix may stand for
(btree range for a prefix as typed, trigrams for a misspelt one). Kept by
`domain/marketplace/search_suggestions.py` with the search documents.
"""
from __future__ import annotations

from sqlalchemy import ARRAY, BigInteger, ForeignKey, Index, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import ENUM
from sqlalchemy.orm import Mapped, mapped_column

from domain.search.statuses import SearchSuggestionKind
from domain.shared.db import Base

search_suggestion_kind = ENUM(*SearchSuggestionKind, name="search_suggestion_kind")


class SearchSuggestionEntry(Base):
    __tablename__ = "search_suggestions"
    __table_args__ = (
        UniqueConstraint("kind", "key"),
        # A refresh finds the title a product had before.
        Index("ix_search_suggestions_kind_ref_id", "kind", "ref_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(search_suggestion_kind)
    # The lowercased text: one entry per text and kind.
    key: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    # The product (its most popular format), brand or category; null for an author.
    ref_id: Mapped[int | None] = mapped_column(BigInteger)
    # Popularity: the number of products it stands for plus their ratings.
    weight: Mapped[int] = mapped_column(BigInteger)
    words: Mapped[list[str]] = mapped_column(ARRAY(Text))


class SearchSuggestionWord(Base):
    __tablename__ = "search_suggestion_words"
    __table_args__ = (
        Index("ix_search_suggestion_words_word_weight", "word", text("weight DESC"), "suggestion_id"),
    )

    word: Mapped[str] = mapped_column(Text, primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("search_suggestions.id", ondelete="CASCADE"), primary_key=True
    )
    weight: Mapped[int] = mapped_column(BigInteger)


class SearchSuggestionTerm(Base):
    __tablename__ = "search_suggestion_terms"
    __table_args__ = (
        Index("ix_search_suggestion_terms_word_trgm", "word", postgresql_using="gin",
              postgresql_ops={"word": "gin_trgm_ops"}),
        # With the weight, the most popular words starting with a prefix come from the index alone.
        Index("ix_search_suggestion_terms_word_prefix", "word", postgresql_ops={"word": "text_pattern_ops"},
              postgresql_include=["weight"]),
    )

    word: Mapped[str] = mapped_column(Text, primary_key=True)
    # The weight of the most popular entry with this word.
    weight: Mapped[int] = mapped_column(BigInteger)
