"""Seller staff manage their offers: create, update (partially) and archive.

Rules: only staff of the offer's seller may change it (FORBIDDEN; an offer the public cannot
see is NOT_FOUND to outsiders); a suspended seller's staff change nothing (SELLER_SUSPENDED);
prices are USD (CURRENCY_MISMATCH) with at most two decimals, above zero, shipping zero or
more (INVALID_PRICE); a member price (what Prime members pay instead), when set, is a price
like the others and lower than the offer's price (MEMBER_PRICE_NOT_LOWER), also after a price
change (lowering the price to or below the member price is refused until the member price is
lowered or removed in the same call); a competitor match that brings the price to or below the
member price removes the member price (everyone pays the matched price); quantities
0-1,000,000 (INVALID_QUANTITY); one live offer per seller, product, condition and purchase
option (OFFER_EXISTS); the product must exist and be live
(NOT_FOUND); only a streaming video can be offered to RENT (RENT_NOT_AVAILABLE);
archived offers cannot be changed (OFFER_ARCHIVED). Every price or shipping change appends to
the price history, and the product's search document is refreshed, in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.marketplace import derived, price_history, repository, rules
from domain.marketplace.entities import Offer
from domain.marketplace.errors import MarketplaceErrorCode
from domain.marketplace.statuses import Fulfilment, OfferCondition, PurchaseOption, SellerStanding
from domain.shared.errors import DomainError, Forbidden, NotFound
from domain.shared.principal import Principal


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount as the caller gave it, checked by the rules (currency, decimals, sign)."""

    amount: Decimal
    currency: str


class _Unchanged:
    """The member price is left as it is (None removes it)."""


MEMBER_PRICE_UNCHANGED = _Unchanged()


@dataclass(frozen=True, slots=True)
class OfferChanges:
    """What `update_offer` changes; None leaves a field as it is, except `member_price`:
    None removes it, MEMBER_PRICE_UNCHANGED leaves it."""

    price: Amount | None = None
    member_price: Amount | None | _Unchanged = MEMBER_PRICE_UNCHANGED
    shipping_price: Amount | None = None
    quantity: int | None = None
    condition_note: str | None = None
    fulfilment: str | None = None


async def lock_seller(session: AsyncSession, seller_id: int) -> str | None:
    """The seller's standing, locked against a concurrent standing change until commit
    (so a suspension cannot slip in between the check and the write); None if unknown."""
    return (await session.execute(text("SELECT standing::text FROM sellers WHERE id = :id FOR SHARE"),
                                  {"id": seller_id})).scalar()


def _refuse_if_suspended(standing: str | None) -> None:
    if standing == SellerStanding.SUSPENDED:
        raise DomainError("The seller is suspended: its offers cannot be changed until its standing is restored.",
                          code=MarketplaceErrorCode.SELLER_SUSPENDED)


async def create_offer(session: AsyncSession, principal: Principal, *, seller_id: int, product_id: int,
                       condition: str, condition_note: str, fulfilment: str, price: Amount,
                       shipping_price: Amount, quantity: int, purchase_option: str = "BUY",
                       member_price: Amount | None = None) -> Offer:
    """A new live offer of the seller on a live product, with its first price history entry.
    A RENT offer (streaming videos only) sells a rental: its order issues a RENTAL licence."""
    principal.require_seller_staff(seller_id)
    _refuse_if_suspended(await lock_seller(session, seller_id))
    condition = rules.one_of(condition, OfferCondition, ["input", "condition"])
    fulfilment = rules.one_of(fulfilment, Fulfilment, ["input", "fulfilment"])
    note = rules.condition_note(condition_note, ["input", "conditionNote"])
    price_minor = rules.money_minor(price.amount, price.currency, ["input", "price"], allow_zero=False)
    member_minor = rules.member_price_below(price_minor, _member_minor(member_price), ["input", "memberPrice", "amount"])
    shipping_minor = rules.money_minor(shipping_price.amount, shipping_price.currency, ["input", "shippingPrice"],
                                       allow_zero=True)
    quantity = rules.quantity(quantity, ["input", "quantity"])
    purchase_option = rules.one_of(purchase_option, PurchaseOption, ["input", "purchaseOption"])
    archived = (await derived.lock_products(session, [product_id])).get(product_id)
    if archived is None or archived:
        raise NotFound("No such product.", field=["input", "productId"])
    if purchase_option == PurchaseOption.RENT:
        streamed = (await session.execute(text(
            "SELECT kind = 'VIDEO' AND format = 'STREAMING' FROM products WHERE id = :id"), {"id": product_id})).scalar()
        if not streamed:
            raise DomainError("Only a streaming video can be rented; offer this product to BUY.",
                              code=MarketplaceErrorCode.RENT_NOT_AVAILABLE, field=["input", "purchaseOption"])
    try:
        offer_id = (await session.execute(text(
            "INSERT INTO offers (seller_id, product_id, condition, condition_note, fulfilment, price_minor,"
            " member_price_minor, shipping_minor, currency, quantity, purchase_option)"
            " VALUES (:seller, :product, CAST(:condition AS offer_condition), :note, CAST(:fulfilment AS fulfilment),"
            " :price, :member_price, :shipping, :currency, :quantity, CAST(:option AS purchase_option)) RETURNING id"),
            {"seller": seller_id, "product": product_id, "condition": condition, "note": note,
             "fulfilment": fulfilment, "price": price_minor, "member_price": member_minor, "shipping": shipping_minor,
             "currency": rules.MARKETPLACE_CURRENCY, "quantity": quantity,
             "option": purchase_option})).scalar_one()
    except IntegrityError as error:
        if "uq_offers_seller_product_condition" in str(error.orig):
            raise DomainError("The seller already has a live offer for this product in this condition and purchase"
                              " option; update that offer instead.", code=MarketplaceErrorCode.OFFER_EXISTS,
                              field=["input", "condition"]) from None
        raise
    await price_history.append(session, offer_id, price_minor, shipping_minor, rules.MARKETPLACE_CURRENCY,
                               changed_by=principal.account_id, source="SELLER")
    await derived.refresh_search(session, [product_id])
    return await repository.offer_in_session(session, offer_id)


def _member_minor(member_price: Amount | None) -> int | None:
    if member_price is None:
        return None
    return rules.money_minor(member_price.amount, member_price.currency, ["input", "memberPrice"], allow_zero=False)


async def _locked_offer(session: AsyncSession, principal: Principal, offer_id: int, *,
                        staff_only: bool = True):
    """The offer's row, locked FOR UPDATE after its seller (FOR SHARE) and its product, the
    order every offer write takes its locks in. Staff of another seller get FORBIDDEN for an
    offer anyone can see, and NOT_FOUND for one nobody outside its seller can (archived, or
    of a suspended seller): the answer never reveals more than the storefront does."""
    principal.require_signed_in()
    found = (await session.execute(text(
        "SELECT o.seller_id, o.product_id, o.archived_at IS NULL AND s.standing <> 'SUSPENDED' AS public"
        " FROM offers o JOIN sellers s ON s.id = o.seller_id WHERE o.id = :id"), {"id": offer_id})).one_or_none()
    not_found = NotFound("No such offer.", field=["input", "offerId"])
    if found is None:
        raise not_found
    if staff_only and not principal.is_staff_of(found.seller_id):
        if not found.public:
            raise not_found
        raise Forbidden("Only this seller's staff may change its offers.")
    standing = await lock_seller(session, found.seller_id)
    await derived.lock_products(session, [found.product_id])
    row = (await session.execute(text(
        "SELECT id, seller_id, product_id, price_minor, shipping_minor, currency, quantity, condition_note,"
        " fulfilment::text AS fulfilment, archived_at, member_price_minor FROM offers WHERE id = :id FOR UPDATE"),
        {"id": offer_id})).one()
    return row, standing


async def update_offer(session: AsyncSession, principal: Principal, offer_id: int, changes: OfferChanges) -> Offer:
    """Change the given fields of a live offer. The row is locked, so concurrent edits apply
    one after the other; a price or shipping change appends one history entry (none when the
    values stay the same)."""
    row, standing = await _locked_offer(session, principal, offer_id)
    _refuse_if_suspended(standing)
    if row.archived_at is not None:
        raise DomainError("The offer is archived; create a new one.", code=MarketplaceErrorCode.OFFER_ARCHIVED,
                          field=["input", "offerId"])
    price_minor, shipping_minor = row.price_minor, row.shipping_minor
    if changes.price is not None:
        price_minor = rules.money_minor(changes.price.amount, changes.price.currency, ["input", "price"],
                                        allow_zero=False)
    if isinstance(changes.member_price, _Unchanged):
        # The kept member price must stay below a new price: the price is at fault.
        member_minor = rules.member_price_below(price_minor, row.member_price_minor, ["input", "price", "amount"])
    else:
        member_minor = rules.member_price_below(price_minor, _member_minor(changes.member_price),
                                                ["input", "memberPrice", "amount"])
    if changes.shipping_price is not None:
        shipping_minor = rules.money_minor(changes.shipping_price.amount, changes.shipping_price.currency,
                                           ["input", "shippingPrice"], allow_zero=True)
    quantity = row.quantity if changes.quantity is None else rules.quantity(changes.quantity, ["input", "quantity"])
    note = (row.condition_note if changes.condition_note is None
            else rules.condition_note(changes.condition_note, ["input", "conditionNote"]))
    fulfilment = (row.fulfilment if changes.fulfilment is None
                  else rules.one_of(changes.fulfilment, Fulfilment, ["input", "fulfilment"]))
    if (price_minor, member_minor, shipping_minor, quantity, note, fulfilment) == (
            row.price_minor, row.member_price_minor, row.shipping_minor, row.quantity, row.condition_note,
            row.fulfilment):
        return await repository.offer_in_session(session, offer_id)
    await session.execute(text(
        "UPDATE offers SET price_minor = :price, member_price_minor = :member_price, shipping_minor = :shipping,"
        " quantity = :quantity, condition_note = :note, fulfilment = CAST(:fulfilment AS fulfilment),"
        " updated_at = now() WHERE id = :id"),
        {"price": price_minor, "member_price": member_minor, "shipping": shipping_minor, "quantity": quantity,
         "note": note, "fulfilment": fulfilment, "id": offer_id})
    if (price_minor, shipping_minor) != (row.price_minor, row.shipping_minor):
        await price_history.append(session, offer_id, price_minor, shipping_minor, row.currency,
                                   changed_by=principal.account_id, source="SELLER")
    await derived.refresh_search(session, [row.product_id])
    return await repository.offer_in_session(session, offer_id)


async def archive_offer(session: AsyncSession, principal: Principal, offer_id: int) -> Offer:
    """Withdraw an offer for good: it leaves the storefront and frees its seller, product and
    condition for a new offer; its price history stays. Archiving it again changes nothing."""
    row, standing = await _locked_offer(session, principal, offer_id)
    _refuse_if_suspended(standing)
    if row.archived_at is None:
        await session.execute(text("UPDATE offers SET archived_at = now(), updated_at = now() WHERE id = :id"),
                              {"id": offer_id})
        await derived.refresh_search(session, [row.product_id])
    return await repository.offer_in_session(session, offer_id)


async def match_competitor_price(session: AsyncSession, principal: Principal, offer_id: int, *,
                                 competitor_name: str, competitor_price: Amount, evidence_url: str) -> Offer:
    """An administrator lowers one of the platform's own (first-party) offers to a
    competitor's price (NOT_FIRST_PARTY otherwise). The competitor's price must be above zero
    and below the offer's current price (NOT_LOWER); the evidence is an https:// link. The
    new price is recorded in the history with the competitor, its price and the evidence."""
    principal.require_admin()
    name = rules.name(competitor_name, ["input", "competitorName"])
    price_minor = rules.money_minor(competitor_price.amount, competitor_price.currency,
                                    ["input", "competitorPrice"], allow_zero=False)
    evidence = rules.https_url(evidence_url, ["input", "evidenceUrl"])
    row, _ = await _locked_offer(session, principal, offer_id, staff_only=False)
    first_party = (await session.execute(text("SELECT is_first_party FROM sellers WHERE id = :id"),
                                         {"id": row.seller_id})).scalar_one()
    if not first_party:
        raise DomainError("Only the platform's own offers can be matched to a competitor's price.",
                          code=MarketplaceErrorCode.NOT_FIRST_PARTY, field=["input", "offerId"])
    if row.archived_at is not None:
        raise DomainError("The offer is archived.", code=MarketplaceErrorCode.OFFER_ARCHIVED, field=["input", "offerId"])
    if price_minor >= row.price_minor:
        raise DomainError("The competitor's price is not lower than the offer's price; nothing to match.",
                          code=MarketplaceErrorCode.NOT_LOWER, field=["input", "competitorPrice", "amount"])
    await session.execute(text(
        "UPDATE offers SET price_minor = :price, updated_at = now(), member_price_minor = CASE"
        " WHEN member_price_minor < :price THEN member_price_minor END WHERE id = :id"),
        {"price": price_minor, "id": offer_id})
    await price_history.append(session, offer_id, price_minor, row.shipping_minor, row.currency,
                               changed_by=principal.account_id, source="COMPETITOR_MATCH", competitor_name=name,
                               competitor_price_minor=price_minor, evidence_url=evidence)
    await derived.refresh_search(session, [row.product_id])
    return await repository.offer_in_session(session, offer_id)


async def archive_offers_of_product(session: AsyncSession, product_id: int) -> int:
    """Archives every live offer on a product the catalogue is archiving (the caller holds the
    product's row lock): an offer must never point buyers at a product that is gone."""
    result = await session.execute(text(
        "UPDATE offers SET archived_at = now(), updated_at = now() WHERE product_id = :product"
        " AND archived_at IS NULL"), {"product": product_id})
    return result.rowcount
