"""Reading loans: by id, by licence (lent or borrowed), and a customer's loans. A loan is seen by
its lender, by its borrower (the account it was accepted by, or whoever signs in with the
invited address) and by administrators; nobody else learns it exists. Each read is one
statement whatever the number of ids."""
from __future__ import annotations

from collections.abc import Sequence

from domain.licences.lending.entities import EbookLoan
from domain.shared.pagination import Page, PageRequest, paged
from domain.shared.principal import Principal

_COLUMNS = """e.id, e.licence_id, e.lender_account_id, a.display_name AS lender_name, e.borrower_email::text,
  e.borrower_account_id, e.borrower_licence_id, e.status::text AS status, e.lent_at, e.accept_by, e.accepted_at,
  e.ends_at, e.ended_at, l.product_id, p.title"""
_FROM = ("ebook_loans e JOIN accounts a ON a.id = e.lender_account_id JOIN licences l ON l.id = e.licence_id"
         " JOIN products p ON p.id = l.product_id")
# The loans of account $n: lent, accepted, or offered to its address.
_OF_ACCOUNT = ("(e.lender_account_id = ${n} OR e.borrower_account_id = ${n}"
               " OR e.borrower_email = (SELECT email FROM accounts WHERE id = ${n}))")


def _visible(principal: Principal, n: int) -> str:
    # Administrators see every loan; the account parameter is still bound, so it is typed.
    return f"(${n}::bigint IS NOT NULL OR true)" if principal.is_admin else _OF_ACCOUNT.format(n=n)


async def loans_by_ids(reader, principal: Principal, ids: Sequence[int]) -> dict[int, EbookLoan]:
    """The loans the caller may see."""
    if principal.account_id is None:
        return {}
    rows = await reader.fetch(f"SELECT {_COLUMNS} FROM {_FROM} WHERE e.id = ANY($1::bigint[])"
                              f" AND {_visible(principal, 2)}", list(ids), principal.account_id)
    return {r["id"]: EbookLoan(*r) for r in rows}


async def loans_by_licence_ids(reader, principal: Principal, licence_ids: Sequence[int]) -> dict[int, EbookLoan]:
    """The loan of each licence: the one it was lent in (the lender's licence) or issued by (a
    borrower's LOAN licence); only loans the caller may see."""
    if principal.account_id is None:
        return {}
    rows = await reader.fetch(
        f"SELECT {_COLUMNS} FROM {_FROM} WHERE (e.licence_id = ANY($1::bigint[])"
        f" OR e.borrower_licence_id = ANY($1::bigint[])) AND {_visible(principal, 2)}",
        list(licence_ids), principal.account_id)
    asked = set(licence_ids)
    found: dict[int, EbookLoan] = {}
    for r in rows:
        loan = EbookLoan(*r)
        for key in (loan.licence_id, loan.borrower_licence_id):
            if key in asked:
                found[key] = loan
    return found


async def loans_of_customer(reader, principal: Principal, account_id: int, page: PageRequest) -> Page[EbookLoan]:
    """The customer's loans, lent and borrowed (offered ones included), newest first. Visible
    to the customer and administrators; anyone else sees an empty page."""
    if not principal.may_see_account(account_id):
        return Page([], page.offset, False, 0)
    return await paged(reader, EbookLoan, f"SELECT {_COLUMNS} FROM {_FROM} WHERE {_OF_ACCOUNT.format(n=1)}",
                       "lent_at DESC, id DESC", page, account_id)
