"""Lending an e-book to another customer, and the loan's life.

Rules: the owner of a PURCHASE licence of a lendable e-book may lend it once, ever, to one other
customer named by e-mail (who may not have an account yet: the invitation is the same either
way, so lending never tells whether an address has an account). From lending, the lender's
licence is SUSPENDED (their devices learn it at their next sync, LICENCE_SUSPENDED). The
recipient, signed in with the invited address, accepts within ACCEPT_DAYS and gets a LOAN
licence of the title for LOAN_DAYS, with the usual device limit; or declines. A loan not
accepted in time, declined, returned early by the borrower, or over, comes back: the borrower's
licence EXPIRES (LICENCE_EXPIRED) and the lender's is reinstated (LICENCE_REINSTATED).

Lending one licence twice at once: both lock the licence's row, so the second sees the first's
loan (ALREADY_LENT); the unique licence of `ebook_loans` backs it. A loan ending (the sweep,
`sweep.end_due_loans`) and a recipient accepting both lock the loan's row, and accepting checks
the deadline after taking the lock."""
from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity import service as identity
from domain.jobs import service as jobs
from domain.licences import changes
from domain.licences.errors import LicenceStateErrorCode
from domain.licences.lending import reads
from domain.licences.lending.entities import EbookLoan
from domain.licences.lending.errors import LendingErrorCode
from domain.licences.lending.statuses import EbookLoanStatus
from domain.licences.statuses import LicenceKind, LicenceStatus
from domain.shared import clock
from domain.shared.config import Settings
from domain.shared.db import SessionReader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.principal import Principal

LOAN_DAYS = 14
ACCEPT_DAYS = 7
OFFERED_TEMPLATE = "ebook_loan_offered"

_LICENCE_FIELD = ["input", "licenceId"]
_LOAN_FIELD = ["input", "loanId"]


def token_hash(token: str) -> str:
    return hashlib.sha256(b"tributary-ebook-loan:" + token.encode()).hexdigest()


async def _loan(session: AsyncSession, principal: Principal, loan_id: int) -> EbookLoan:
    found = await reads.loans_by_ids(SessionReader(session), principal, [loan_id])
    return found[loan_id]


async def lend_ebook(session: AsyncSession, principal: Principal, settings: Settings, licence_id: int,
                     email: str) -> EbookLoan:
    """Lends the caller's e-book to the customer at `email` (see the module docstring). Refused:
    another customer's licence (NOT_FOUND), a licence lent before, whether the loan is still on
    or came back (ALREADY_LENT), a revoked (returned, refunded) or expired one, a rental, a
    membership or borrowed title or a title not marked lendable (NOT_LENDABLE), the caller's own
    address (CANNOT_LEND_TO_YOURSELF)."""
    account_id = principal.require_signed_in()
    to = identity.normalize_email(email, ["input", "email"])
    # Lock, then read in a statement of its own: its snapshot includes the loan committed by
    # whoever held the lock before.
    await session.execute(text("SELECT id FROM licences WHERE id = :id FOR UPDATE"), {"id": licence_id})
    row = (await session.execute(text(
        "SELECT l.account_id, l.kind::text AS kind, l.status::text AS status, p.lendable, p.title,"
        " EXISTS (SELECT 1 FROM ebook_loans e WHERE e.licence_id = l.id) AS lent"
        " FROM licences l JOIN products p ON p.id = l.product_id WHERE l.id = :id"),
        {"id": licence_id})).one_or_none()
    if row is None or row.account_id != account_id:
        raise NotFound("No such licence in your library.", field=_LICENCE_FIELD)
    if row.lent:
        raise DomainError("This e-book was lent already; a licence can be lent only once.",
                          code=LendingErrorCode.ALREADY_LENT, field=_LICENCE_FIELD)
    if row.status == LicenceStatus.REVOKED:
        raise DomainError("This licence was revoked (returned or refunded); it can no longer be lent.",
                          code=LicenceStateErrorCode.LICENCE_REVOKED, field=_LICENCE_FIELD)
    if row.status != LicenceStatus.ACTIVE:
        raise DomainError("This licence has expired; it can no longer be lent.",
                          code=LicenceStateErrorCode.LICENCE_EXPIRED, field=_LICENCE_FIELD)
    if row.kind != LicenceKind.PURCHASE or not row.lendable:
        raise DomainError("Only a bought e-book its publisher allows lending (`Product.lendable`) can be lent; "
                          "rentals, membership and borrowed titles cannot.",
                          code=LendingErrorCode.NOT_LENDABLE, field=_LICENCE_FIELD)
    own = await identity.email_of(session, account_id)
    if own is not None and own.casefold() == to.casefold():
        raise DomainError("You cannot lend an e-book to yourself; give the e-mail address of another customer.",
                          code=LendingErrorCode.CANNOT_LEND_TO_YOURSELF, field=["input", "email"])
    now = clock.now()
    token = secrets.token_urlsafe(32)
    loan_id = (await session.execute(text(
        "INSERT INTO ebook_loans (licence_id, lender_account_id, borrower_email, token_hash, lent_at, accept_by)"
        " VALUES (:licence, :lender, :email, :hash, :now, :accept_by) RETURNING id"),
        {"licence": licence_id, "lender": account_id, "email": to, "hash": token_hash(token), "now": now,
         "accept_by": now + timedelta(days=ACCEPT_DAYS)})).scalar_one()
    await session.execute(text("UPDATE licences SET status = 'SUSPENDED', updated_at = now() WHERE id = :id"),
                          {"id": licence_id})
    await changes.record(session, account_id, [(licence_id, "LICENCE_SUSPENDED")])
    loan = await _loan(session, principal, loan_id)
    await jobs.send_email(
        session, to=to, template=OFFERED_TEMPLATE,
        context={"lender": loan.lender_name, "title": row.title,
                 "acceptBy": loan.accept_by.strftime("%B %-d, %Y"), "days": LOAN_DAYS},
        secrets={"url": f"{settings.public_url}/ebook-loans/accept?token={token}", "token": token},
        dedupe_key=f"{OFFERED_TEMPLATE}:{loan_id}")
    return loan


async def _invited_loan(session: AsyncSession, principal: Principal, loan_id: int | None,
                        token: str | None):
    """The loan offered to the caller's address, locked: by id or by the invitation's token
    (NOT_FOUND for anyone else's, whatever they pass)."""
    account_id = principal.require_signed_in()
    if (loan_id is None) == (token is None):
        raise InvalidInput("Give either the loan's id or the invitation's token.", code=LendingErrorCode.INVALID,
                           field=["input"])
    where, value, field = ("e.id = :key", loan_id, _LOAN_FIELD) if loan_id is not None \
        else ("e.token_hash = :key", token_hash(token), ["input", "token"])
    row = (await session.execute(text(
        "SELECT e.id, e.status::text AS status, e.accept_by, e.licence_id, l.product_id FROM ebook_loans e"
        " JOIN licences l ON l.id = e.licence_id"
        f" WHERE {where} AND e.borrower_email = (SELECT email FROM accounts WHERE id = :me) FOR UPDATE OF e"),
        {"key": value, "me": account_id})).one_or_none()
    if row is None:
        raise NotFound("No such loan offered to you.", field=field)
    if row.status != EbookLoanStatus.PENDING or row.accept_by <= clock.now():
        raise DomainError("This loan is no longer waiting for an answer (accepted, declined, or not accepted "
                          "in time).", code=LendingErrorCode.LOAN_NOT_PENDING, field=field)
    return row


async def accept_ebook_loan(session: AsyncSession, principal: Principal, settings: Settings, *,
                            loan_id: int | None = None, token: str | None = None) -> EbookLoan:
    """The invited customer (signed in with the invited address) accepts a PENDING loan before
    its deadline: a LOAN licence of the title for LOAN_DAYS is added to their library. Anyone
    else's loan is NOT_FOUND; a loan accepted, declined or past its deadline LOAN_NOT_PENDING."""
    row = await _invited_loan(session, principal, loan_id, token)
    account_id = principal.account_id
    now = clock.now()
    licence_id = (await session.execute(text(
        "INSERT INTO licences (account_id, product_id, kind, device_limit) VALUES (:a, :p, 'LOAN', :limit)"
        " RETURNING id"), {"a": account_id, "p": row.product_id, "limit": settings.licence_device_limit})).scalar_one()
    await changes.record(session, account_id, [(licence_id, "LICENCE_ADDED")])
    await session.execute(text(
        "UPDATE ebook_loans SET status = 'ACTIVE', borrower_account_id = :a, borrower_licence_id = :l,"
        " accepted_at = :now, ends_at = :ends, updated_at = now() WHERE id = :id"),
        {"a": account_id, "l": licence_id, "now": now, "ends": now + timedelta(days=LOAN_DAYS), "id": row.id})
    return await _loan(session, principal, row.id)


async def decline_ebook_loan(session: AsyncSession, principal: Principal, *, loan_id: int | None = None,
                             token: str | None = None) -> EbookLoan:
    """The invited customer declines a PENDING loan: the lender has the book back at once."""
    row = await _invited_loan(session, principal, loan_id, token)
    await end_loans(session, [row.id], EbookLoanStatus.DECLINED, clock.now())
    return await _loan(session, principal, row.id)


async def return_ebook_loan(session: AsyncSession, principal: Principal, loan_id: int) -> EbookLoan:
    """The borrower gives a loan back before its end: their licence expires, the lender's is
    reinstated. Anyone else's loan is NOT_FOUND; a loan not ACTIVE is LOAN_NOT_ACTIVE."""
    account_id = principal.require_signed_in()
    status = (await session.execute(text(
        "SELECT status::text FROM ebook_loans WHERE id = :id AND borrower_account_id = :me FOR UPDATE"),
        {"id": loan_id, "me": account_id})).scalar()
    if status is None:
        raise NotFound("No such loan borrowed by you.", field=_LOAN_FIELD)
    if status != EbookLoanStatus.ACTIVE:
        raise DomainError("This loan is not running (not accepted yet, or over).",
                          code=LendingErrorCode.LOAN_NOT_ACTIVE, field=_LOAN_FIELD)
    await end_loans(session, [loan_id], EbookLoanStatus.RETURNED, clock.now())
    return await _loan(session, principal, loan_id)


async def end_loans(session: AsyncSession, loan_ids: Iterable[int], status: str, now: datetime) -> list[int]:
    """Ends the loans that are still PENDING or ACTIVE among `loan_ids` (locked by the caller, or
    not: the update is conditional) with `status`: the borrowers' licences expire and the
    lenders' are reinstated, each in its owner's change log. Returns the ids ended now."""
    ended = (await session.execute(text(
        "UPDATE ebook_loans SET status = CAST(:status AS ebook_loan_status), ended_at = :now, updated_at = now()"
        " WHERE id = ANY(CAST(:ids AS bigint[])) AND status IN ('PENDING', 'ACTIVE')"
        " RETURNING id, licence_id, borrower_licence_id"),
        {"status": status, "now": now, "ids": sorted(set(loan_ids))})).all()
    if not ended:
        return []
    borrowed = [r.borrower_licence_id for r in ended if r.borrower_licence_id is not None]
    logged: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if borrowed:
        for r in (await session.execute(text(
                "UPDATE licences SET status = 'EXPIRED', updated_at = now()"
                " WHERE id = ANY(CAST(:ids AS bigint[])) AND status = 'ACTIVE' RETURNING id, account_id"),
                {"ids": borrowed})).all():
            logged[r.account_id].append((r.id, "LICENCE_EXPIRED"))
        await session.execute(text(
            "UPDATE licence_activations SET deactivated_at = now()"
            " WHERE licence_id = ANY(CAST(:ids AS bigint[])) AND deactivated_at IS NULL"), {"ids": borrowed})
    # A lender's licence revoked meanwhile (a refund) stays revoked.
    for r in (await session.execute(text(
            "UPDATE licences SET status = 'ACTIVE', updated_at = now()"
            " WHERE id = ANY(CAST(:ids AS bigint[])) AND status = 'SUSPENDED' RETURNING id, account_id"),
            {"ids": [r.licence_id for r in ended]})).all():
        logged[r.account_id].append((r.id, "LICENCE_REINSTATED"))
    # Accounts in a fixed order: two sweeps lock the accounts' change counters alike.
    for account in sorted(logged):
        await changes.record(session, account, sorted(logged[account]))
    return sorted(r.id for r in ended)
