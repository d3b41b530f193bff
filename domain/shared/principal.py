"""Who is calling: the principal every domain service receives, and the role checks on it.

Services call these checks themselves (authorization lives in the domain, not in resolvers),
so every path to an operation (root field, `node`, nested connection, CLI) enforces the same
rule."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from domain.shared.errors import Forbidden, Unauthenticated


@dataclass(frozen=True)
class Principal:
    """A signed-in account with its roles, or the anonymous caller (`ANONYMOUS`)."""

    account_id: int | None = None
    session_id: uuid.UUID | None = None
    is_admin: bool = False
    seller_ids: frozenset[int] = field(default_factory=frozenset)
    brand_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def signed_in(self) -> bool:
        return self.account_id is not None

    def require_signed_in(self) -> int:
        """The caller's account id; anonymous callers are refused."""
        if self.account_id is None:
            raise Unauthenticated("Sign in to do this.")
        return self.account_id

    def require_admin(self) -> None:
        self.require_signed_in()
        if not self.is_admin:
            raise Forbidden("Only an administrator may do this.")

    def is_staff_of(self, seller_id: int) -> bool:
        return seller_id in self.seller_ids

    def require_seller_staff(self, seller_id: int, *, or_admin: bool = False) -> None:
        """Staff of this seller (and, with `or_admin`, an administrator) may pass."""
        self.require_signed_in()
        if not (self.is_staff_of(seller_id) or (or_admin and self.is_admin)):
            raise Forbidden("Only this seller's staff may do this.")

    def is_owner_of_brand(self, brand_id: int) -> bool:
        return brand_id in self.brand_ids

    def require_brand_owner(self, brand_id: int, *, or_admin: bool = False) -> None:
        self.require_signed_in()
        if not (self.is_owner_of_brand(brand_id) or (or_admin and self.is_admin)):
            raise Forbidden("Only this brand's registered owner may do this.")

    def may_see_account(self, account_id: int) -> bool:
        """A customer's private data (e-mail, addresses, sessions) is visible to the customer
        and to administrators only; never to sellers or brands."""
        return self.account_id == account_id or self.is_admin

    def roles(self) -> list[str]:
        if self.account_id is None:
            return ["ANONYMOUS"]
        names = ["CUSTOMER"]
        if self.seller_ids:
            names.append("SELLER_STAFF")
        if self.brand_ids:
            names.append("BRAND_OWNER")
        if self.is_admin:
            names.append("ADMIN")
        return names


ANONYMOUS = Principal()
