"""What a customer owns already, so that a title is never sold to them twice.

Owning: an ACTIVE PURCHASE licence (bought, not returned or revoked; one lent out, SUSPENDED,
is still owned), or an ACTIVE RENTAL
that can still be played (not started and before its deadline to start, or within its play
window). A MEMBERSHIP licence (a title borrowed through the membership) is not owning: buying
what one borrowed is allowed, the purchase stays when the membership ends. Nor is a LOAN licence
(a title another customer lent).

What each kind of line makes of it (`already_owned`): buying (a BUY offer) is refused by a
PURCHASE licence only, so a customer renting a video may still buy it; renting (a RENT offer)
by a PURCHASE licence or a rental still running, since renting what one may already watch
gives nothing.
"""
from __future__ import annotations

from domain.licences.statuses import LicenceKind

# An SQL expression: the kinds that make the product owned by the account now, joined by
# commas (NULL when none). `account` and `product` are SQL expressions of the caller's
# statement, so the answer rides along in the statement that reads the lines (no statement
# of its own); an anonymous account (NULL) owns nothing.
_OWNED_KINDS = """(SELECT string_agg(DISTINCT x.kind::text, ',') FROM licences x
  WHERE x.account_id = {account} AND x.product_id = {product}
    AND ((x.kind = 'PURCHASE' AND x.status IN ('ACTIVE', 'SUSPENDED'))
         OR (x.kind = 'RENTAL' AND x.status = 'ACTIVE'
             AND coalesce(x.play_window_ends_at, x.rental_expires_at) > now())))"""


def owned_kinds_sql(account: str, product: str) -> str:
    """The SQL expression of the licence kinds that make `product` owned by `account` (see
    the module docstring)."""
    return _OWNED_KINDS.format(account=account, product=product)


def parse_owned_kinds(value: str | None) -> frozenset[str]:
    return frozenset(value.split(",")) if value else frozenset()


def already_owned(owned_kinds: frozenset[str], renting: bool) -> bool:
    """Whether a line buying (or, `renting`, renting) the title gives the customer nothing
    new (see the module docstring)."""
    if LicenceKind.PURCHASE in owned_kinds:
        return True
    return renting and LicenceKind.RENTAL in owned_kinds
