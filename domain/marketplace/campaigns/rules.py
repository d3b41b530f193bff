"""The platform's rules for brand campaigns.

Form (a typed error, nothing written): a subject of 1-150 characters on one line and a text of
1-5,000 characters, both plain text (no HTML); at most 10 products, each a live product of the
campaign's brand; and at most one campaign per brand per TRIBUTARY_BRAND_CAMPAIGN_INTERVAL_DAYS
(7 by default; rejected campaigns do not count).

Review (the campaign is kept as REJECTED, with every reason that applies): followers are reached
only through the platform, so the text carries no link out of it and no contact details (an
e-mail address, a web address: a brand could learn who answers); a subject is not shouted in
capitals; a NEW_PRODUCT or SALE campaign names at least one of the brand's products. When
sending starts the brand must still be live with a registered owner, and its products live.
"""
from __future__ import annotations

import re

from domain.marketplace.errors import MarketplaceErrorCode
from domain.marketplace.statuses import BrandCampaignKind
from domain.shared.errors import InvalidInput
from domain.shared.plain_text import check_words

SUBJECT_MAX = 150
BODY_MAX = 5_000
PRODUCTS_MAX = 10

_LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|shop|store)\b")
_EMAIL = re.compile(r"(?i)[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+")
_LETTERS = re.compile(r"[^\W\d_]")

NO_LINKS = "The text links out of the platform: followers are reached only through it (name the brand's products instead)."
NO_CONTACT = "The text has an e-mail address: followers answer no brand directly."
NO_SHOUTING = "The subject is written in capitals."
NEEDS_PRODUCTS = "A NEW_PRODUCT or SALE campaign names at least one of the brand's products."
BRAND_GONE = "The brand was archived or lost its registered owner before sending started."
PRODUCTS_GONE = "A product of the campaign was withdrawn or moved to another brand before sending started."


def kind(value: str) -> str:
    if value not in BrandCampaignKind.__members__:
        raise InvalidInput("A campaign is NEW_PRODUCT, SALE or ANNOUNCEMENT.", field=["input", "kind"])
    return value


def subject(value: str) -> str:
    checked = check_words(value, "subject", SUBJECT_MAX, MarketplaceErrorCode)
    if "\n" in checked or "\r" in checked:
        raise InvalidInput("A subject is one line.", field=["input", "subject"])
    return checked.strip()


def body(value: str) -> str:
    return check_words(value, "text", BODY_MAX, MarketplaceErrorCode)


def product_ids(values: list[int]) -> list[int]:
    unique = list(dict.fromkeys(values))
    if len(unique) > PRODUCTS_MAX:
        raise InvalidInput(f"A campaign names at most {PRODUCTS_MAX} products.", field=["input", "productIds"])
    return unique


def review(kind_: str, subject_: str, body_: str, products: list[int]) -> list[str]:
    """Every reason the platform refuses to send the campaign; empty when it may go."""
    reasons = []
    if _LINK.search(subject_) or _LINK.search(body_):
        reasons.append(NO_LINKS)
    if _EMAIL.search(subject_) or _EMAIL.search(body_):
        reasons.append(NO_CONTACT)
    letters = _LETTERS.findall(subject_)
    if len(letters) >= 10 and all(c.isupper() for c in letters):
        reasons.append(NO_SHOUTING)
    if kind_ in (BrandCampaignKind.NEW_PRODUCT, BrandCampaignKind.SALE) and not products:
        reasons.append(NEEDS_PRODUCTS)
    return reasons
