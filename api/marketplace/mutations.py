"""Marketplace management mutations: seller applications and standing, offers, competitor price
matches and the brand registry. Each runs one use case in one transaction."""
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.mutations import run
from api.core.renames import former_name
from api.marketplace.enums import MarketplaceErrorCode
from api.marketplace.inputs import (
    ApplyForSellerAccountInput,
    ApproveBrandRegistrationInput,
    ApproveSellerApplicationInput,
    ArchiveOfferInput,
    CreateOfferInput,
    MatchCompetitorPriceInput,
    PayoutSellerInput,
    RegisterBrandInput,
    RejectBrandRegistrationInput,
    RejectSellerApplicationInput,
    SetCommissionRateInput,
    SetSellerStandingInput,
    UpdateOfferInput,
)
from api.marketplace.types import (
    BrandRegistration,
    CommissionRate,
    MarketplaceError,
    Offer,
    Seller,
    SellerApplication,
    SellerLedgerEntry,
    SellerStandingChange,
)
from domain.marketplace import service as marketplace
from domain.marketplace.service import Amount


async def _run(info: Info, use_case):
    return await run(info, use_case, MarketplaceError, MarketplaceErrorCode)


@strawberry.type(description="Result of a seller application mutation.")
class SellerApplicationPayload:
    application: SellerApplication | None = strawberry.field(description="The application as it is now; null on failure.")
    user_errors: list[MarketplaceError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of `setSellerStanding`.")
class SetSellerStandingPayload:
    seller: Seller | None = strawberry.field(description="The seller with its new standing; null on failure.")
    standing_change: SellerStandingChange | None = strawberry.field(description="The change as recorded for the audit trail.")
    user_errors: list[MarketplaceError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of an offer mutation.")
class OfferPayload:
    offer: Offer | None = strawberry.field(description="The offer as it is now; null on failure.")
    user_errors: list[MarketplaceError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of a brand registration mutation.")
class BrandRegistrationPayload:
    registration: BrandRegistration | None = strawberry.field(description="The registration as it is now; null on failure.")
    user_errors: list[MarketplaceError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of `setCommissionRate`.")
class SetCommissionRatePayload:
    commission_rate: CommissionRate | None = strawberry.field(description="The rate now in effect in the category (its own, inherited, or the default); null on failure.")
    user_errors: list[MarketplaceError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `paySeller`.")
class PayoutSellerPayload:
    seller: Seller | None = strawberry.field(description="The seller, with its balance after the payout; null on failure.")
    entry: SellerLedgerEntry | None = strawberry.field(description="The PAYOUT entry added to the seller's ledger; null on failure.")
    user_errors: list[MarketplaceError] = strawberry.field(description="Why it failed; nothing was paid out.")


def _amount(value) -> Amount | None:
    return None if value is None else value.to_domain()


@strawberry.type
class MarketplaceMutation:
    @strawberry.mutation(description="Apply to sell on the platform. One application may wait for a decision at a time (APPLICATION_PENDING); an administrator approves or rejects it. Requires sign-in.")
    async def apply_for_seller_account(self, info: Info, input: Annotated[ApplyForSellerAccountInput, MutationInput]) -> SellerApplicationPayload:
        application, errors = await _run(info, lambda s, viewer: marketplace.apply_for_seller_account(
            s, viewer, input.name, input.slug))
        return SellerApplicationPayload(application=application, user_errors=errors)

    @strawberry.mutation(description="Approve a pending seller application: the seller is created in good standing, the applicant becomes its staff and gets an e-mail. Administrators only.")
    async def approve_seller_application(self, info: Info, input: Annotated[ApproveSellerApplicationInput, MutationInput]) -> SellerApplicationPayload:
        pk = ids.decode_as(input.application_id, "SellerApplication", "input.applicationId")
        application, errors = await _run(info, lambda s, viewer: marketplace.approve_seller_application(s, viewer, pk))
        return SellerApplicationPayload(application=application, user_errors=errors)

    @strawberry.mutation(description="Reject a pending seller application with a reason the applicant sees and is e-mailed; they may apply again. Administrators only.")
    async def reject_seller_application(self, info: Info, input: Annotated[RejectSellerApplicationInput, MutationInput]) -> SellerApplicationPayload:
        pk = ids.decode_as(input.application_id, "SellerApplication", "input.applicationId")
        application, errors = await _run(info, lambda s, viewer: marketplace.reject_seller_application(
            s, viewer, pk, input.reason))
        return SellerApplicationPayload(application=application, user_errors=errors)

    @strawberry.mutation(description="Set a seller's standing with a reason: AT_RISK sellers never hold the featured offer; SUSPENDED sellers' offers are hidden and their staff cannot change them. Search reflects it at once. Administrators only.")
    async def set_seller_standing(self, info: Info, input: Annotated[SetSellerStandingInput, MutationInput]) -> SetSellerStandingPayload:
        pk = ids.decode_as(input.seller_id, "Seller", "input.sellerId")
        result, errors = await _run(info, lambda s, viewer: marketplace.set_seller_standing(
            s, viewer, pk, input.standing.value, input.reason))
        seller, change = result or (None, None)
        return SetSellerStandingPayload(seller=seller, standing_change=change, user_errors=errors)

    @strawberry.mutation(description="List a new offer of one of your sellers on a live product. Staff of that seller only (others get FORBIDDEN). The price starts the offer's price history; the product's featured offer and search facts update at once.")
    async def create_offer(self, info: Info, input: Annotated[CreateOfferInput, MutationInput]) -> OfferPayload:
        seller_id = ids.decode_as(input.seller_id, "Seller", "input.sellerId")
        product_id = ids.decode_as(input.product_id, "Product", "input.productId")
        shipping = _amount(input.shipping_price) or Amount(Decimal(0), "USD")
        offer, errors = await _run(info, lambda s, viewer: marketplace.create_offer(
            s, viewer, seller_id=seller_id, product_id=product_id, condition=input.condition.value,
            condition_note=input.condition_note, fulfilment=input.fulfilment.value, price=input.price.to_domain(),
            shipping_price=shipping, quantity=input.quantity, purchase_option=input.purchase_option.value,
            member_price=_amount(input.member_price)))
        return OfferPayload(offer=offer, user_errors=errors)

    @strawberry.mutation(description="Change one of your offers (only the fields given). Staff of the offer's seller only: others get FORBIDDEN (NOT_FOUND for offers the public cannot see). Concurrent changes apply one after the other; a price or shipping change is added to the price history and shows in the featured offer at once.")
    async def update_offer(self, info: Info, input: Annotated[UpdateOfferInput, MutationInput]) -> OfferPayload:
        pk = ids.decode_as(input.offer_id, "Offer", "input.offerId")
        member_price = marketplace.MEMBER_PRICE_UNCHANGED if input.member_price is strawberry.UNSET \
            else _amount(input.member_price)
        changes = marketplace.OfferChanges(
            price=_amount(input.price), member_price=member_price, shipping_price=_amount(input.shipping_price),
            quantity=input.quantity,
            condition_note=input.condition_note,
            fulfilment=input.fulfilment.value if input.fulfilment is not None else None)
        offer, errors = await _run(info, lambda s, viewer: marketplace.update_offer(s, viewer, pk, changes))
        return OfferPayload(offer=offer, user_errors=errors)

    @strawberry.mutation(description="Withdraw one of your offers for good (create a new one to sell again); its price history stays. Archiving an archived offer changes nothing. Staff of the offer's seller only.")
    async def archive_offer(self, info: Info, input: Annotated[ArchiveOfferInput, MutationInput]) -> OfferPayload:
        pk = ids.decode_as(input.offer_id, "Offer", "input.offerId")
        offer, errors = await _run(info, lambda s, viewer: marketplace.archive_offer(s, viewer, pk))
        return OfferPayload(offer=offer, user_errors=errors)

    @strawberry.mutation(description="Lower one of the platform's own offers to a competitor's lower price, recorded in the price history with the competitor and the evidence. Administrators only.")
    async def match_competitor_price(self, info: Info, input: Annotated[MatchCompetitorPriceInput, MutationInput]) -> OfferPayload:
        pk = ids.decode_as(input.offer_id, "Offer", "input.offerId")
        offer, errors = await _run(info, lambda s, viewer: marketplace.match_competitor_price(
            s, viewer, pk, competitor_name=input.competitor_name, competitor_price=input.competitor_price.to_domain(),
            evidence_url=input.evidence_url))
        return OfferPayload(offer=offer, user_errors=errors)

    @strawberry.mutation(description="Apply to be the registered owner of a brand (existing, or new), with its trademark. An administrator approves or rejects it; a brand has one owner. Requires sign-in.")
    async def register_brand(self, info: Info, input: Annotated[RegisterBrandInput, MutationInput]) -> BrandRegistrationPayload:
        brand_id = ids.decode_as(input.brand_id, "Brand", "input.brandId") if input.brand_id is not None else None
        registration, errors = await _run(info, lambda s, viewer: marketplace.register_brand(
            s, viewer, brand_id=brand_id, brand_name=input.brand_name, trademark_number=input.trademark_number,
            evidence_url=input.evidence_url))
        return BrandRegistrationPayload(registration=registration, user_errors=errors)

    @strawberry.mutation(description="Approve a pending brand registration: the applicant becomes the brand's owner (the brand is created first when new) and gets an e-mail. Administrators only.")
    async def approve_brand_registration(self, info: Info, input: Annotated[ApproveBrandRegistrationInput, MutationInput]) -> BrandRegistrationPayload:
        pk = ids.decode_as(input.registration_id, "BrandRegistration", "input.registrationId")
        registration, errors = await _run(info, lambda s, viewer: marketplace.approve_brand_registration(s, viewer, pk))
        return BrandRegistrationPayload(registration=registration, user_errors=errors)

    @strawberry.mutation(description="Reject a pending brand registration with a reason the applicant sees and is e-mailed. Administrators only.")
    async def reject_brand_registration(self, info: Info, input: Annotated[RejectBrandRegistrationInput, MutationInput]) -> BrandRegistrationPayload:
        pk = ids.decode_as(input.registration_id, "BrandRegistration", "input.registrationId")
        registration, errors = await _run(info, lambda s, viewer: marketplace.reject_brand_registration(
            s, viewer, pk, input.reason))
        return BrandRegistrationPayload(registration=registration, user_errors=errors)

    @strawberry.mutation(description="Set the commission rate of a category (6-20%), or remove it so the category inherits its parent's rate. Subcategories without a rate of their own follow. Administrators only.")
    async def set_commission_rate(self, info: Info, input: Annotated[SetCommissionRateInput, MutationInput]) -> SetCommissionRatePayload:
        pk = ids.decode_as(input.category_id, "Category", "input.categoryId")
        percent = marketplace.COMMISSION_RATE_UNCHANGED if input.rate_percent is strawberry.UNSET else input.rate_percent
        rate, errors = await _run(info, lambda s, viewer: marketplace.set_commission_rate(s, viewer, pk, percent))
        return SetCommissionRatePayload(commission_rate=rate, user_errors=errors)

    @strawberry.mutation(description="Pay money out of a seller's balance to the seller: a PAYOUT entry in its ledger, never more than the balance (INSUFFICIENT_BALANCE); concurrent payouts take turns, so they never overdraw. Administrators only.")
    async def pay_seller(self, info: Info, input: Annotated[PayoutSellerInput, MutationInput]) -> PayoutSellerPayload:
        pk = ids.decode_as(input.seller_id, "Seller", "input.sellerId")
        entry, errors = await _run(info, lambda s, viewer: marketplace.payout_seller(s, viewer, pk, input.amount.to_domain()))
        seller = await info.context.loaders.seller_by_id.load(pk) if entry is not None else None
        return PayoutSellerPayload(seller=seller, entry=entry, user_errors=errors)

    # Former name, deprecated: see api.core.renames.
    payout_seller = former_name(pay_seller, "paySeller")
