"""Sections and visibilities of public profiles; the database enum, the use cases and the
GraphQL enums all take their values from here."""
from enum import StrEnum


class ProfileSection(StrEnum):
    """The parts of a profile that its owner can make private one by one. REVIEWS: their
    published reviews. LISTS: their public lists. ANSWERS: their published answers to product
    questions. FOLLOWS: whom they follow and who follows them."""

    REVIEWS = "REVIEWS"
    LISTS = "LISTS"
    ANSWERS = "ANSWERS"
    FOLLOWS = "FOLLOWS"


class ProfileVisibility(StrEnum):
    """PUBLIC: shown to everyone the profile is shown to. PRIVATE: shown to its owner only."""

    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"
