"""Marketplace management mutation inputs."""
from decimal import Decimal

import strawberry

from api.core.scalars import CurrencyCode
from api.marketplace.types import Fulfilment, OfferCondition, PurchaseOption, SellerStanding
from domain.marketplace.service import Amount


@strawberry.input(description="An amount of money: an exact decimal and its currency. Marketplace prices are in USD with at most two decimals.")
class MoneyInput:
    amount: Decimal = strawberry.field(description="The amount in major units, e.g. \"12.99\" (a string keeps it exact).")
    currency_code: CurrencyCode = strawberry.field(description="ISO 4217 currency; the marketplace accepts USD only.")

    def to_domain(self) -> Amount:
        return Amount(self.amount, self.currency_code.value)


@strawberry.input(description="An application to sell on the platform.")
class ApplyForSellerAccountInput:
    name: str = strawberry.field(description="Public storefront name, 2-120 characters.")
    slug: str | None = strawberry.field(default=None, description="URL-safe name for `seller(slug:)`: lower-case letters, digits and single hyphens, at most 140 characters; made from the name when omitted. Must not be taken by a seller.")


@strawberry.input(description="A seller application to approve.")
class ApproveSellerApplicationInput:
    application_id: strawberry.ID = strawberry.field(description="Global ID of a pending seller application.")


@strawberry.input(description="A seller application to reject, and why.")
class RejectSellerApplicationInput:
    application_id: strawberry.ID = strawberry.field(description="Global ID of a pending seller application.")
    reason: str = strawberry.field(description="Why, in words the applicant will read: 1-1000 characters.")


@strawberry.input(description="A seller's new standing, and why.")
class SetSellerStandingInput:
    seller_id: strawberry.ID = strawberry.field(description="Global ID of the seller.")
    standing: SellerStanding = strawberry.field(description="The new standing.")
    reason: str = strawberry.field(description="Why, for the audit trail: 1-1000 characters.")


@strawberry.input(description="A new offer of one of your sellers on a catalogue product.")
class CreateOfferInput:
    seller_id: strawberry.ID = strawberry.field(description="Global ID of the seller (you must be its staff).")
    product_id: strawberry.ID = strawberry.field(description="Global ID of a live product.")
    condition: OfferCondition = strawberry.field(description="New or used; one live offer per seller, product, condition and purchase option.")
    purchase_option: PurchaseOption = strawberry.field(default=PurchaseOption.BUY, description="BUY (default), or RENT to rent a streaming video (RENT_NOT_AVAILABLE for any other product).")
    condition_note: str = strawberry.field(default="", description="Note on a used item's condition, at most 1000 characters.")
    fulfilment: Fulfilment = strawberry.field(description="Who ships it.")
    price: MoneyInput = strawberry.field(description="Price of one unit: USD, above zero, at most two decimals, at most 1000000.00.")
    member_price: MoneyInput | None = strawberry.field(default=None, description="What Prime members pay for one unit instead (a Prime price): USD, above zero, at most two decimals, lower than `price` (MEMBER_PRICE_NOT_LOWER otherwise). Omitted or null: no member price.")
    shipping_price: MoneyInput | None = strawberry.field(default=None, description="Shipping charge per unit: USD, zero or more (default zero).")
    quantity: int = strawberry.field(description="Units available: 0-1000000.")


@strawberry.input(description="Changes to one of your offers; omitted fields stay as they are. A price or shipping change is added to the offer's price history.")
class UpdateOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="Global ID of the offer.")
    price: MoneyInput | None = strawberry.field(default=None, description="New price of one unit: USD, above zero, at most two decimals.")
    member_price: MoneyInput | None = strawberry.field(default=strawberry.UNSET, description="New price Prime members pay for one unit: USD, above zero, at most two decimals, lower than the offer's (new) price (MEMBER_PRICE_NOT_LOWER otherwise; also when a new `price` would not stay above the member price kept). Null removes the member price; omitted leaves it as it is.")
    shipping_price: MoneyInput | None = strawberry.field(default=None, description="New shipping charge per unit: USD, zero or more.")
    quantity: int | None = strawberry.field(default=None, description="New number of units available: 0-1000000.")
    condition_note: str | None = strawberry.field(default=None, description="New condition note, at most 1000 characters.")
    fulfilment: Fulfilment | None = strawberry.field(default=None, description="New fulfilment.")


@strawberry.input(description="One of your offers to withdraw.")
class ArchiveOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="Global ID of the offer.")


@strawberry.input(description="A competitor's lower price to match on one of the platform's own offers.")
class MatchCompetitorPriceInput:
    offer_id: strawberry.ID = strawberry.field(description="Global ID of a live first-party offer.")
    competitor_name: str = strawberry.field(description="The competitor, 2-120 characters.")
    competitor_price: MoneyInput = strawberry.field(description="The competitor's price for one unit: USD, above zero and below the offer's price; it becomes the offer's price.")
    evidence_url: str = strawberry.field(description="https:// link to where the competitor shows that price (at most 2000 characters).")


@strawberry.input(description="A claim to own a brand: an existing brand (brandId) or a new one (brandName); give exactly one.")
class RegisterBrandInput:
    brand_id: strawberry.ID | None = strawberry.field(default=None, description="Global ID of an existing brand.")
    brand_name: str | None = strawberry.field(default=None, description="Name of a new brand, 2-120 characters; must not be an existing brand's name.")
    trademark_number: str = strawberry.field(description="Registration number of the brand's trademark: 1-40 letters, digits, spaces, dots, slashes or hyphens.")
    evidence_url: str | None = strawberry.field(default=None, description="https:// link to the trademark record (at most 2000 characters).")


@strawberry.input(description="A brand registration to approve.")
class ApproveBrandRegistrationInput:
    registration_id: strawberry.ID = strawberry.field(description="Global ID of a pending brand registration.")


@strawberry.input(description="A brand registration to reject, and why.")
class RejectBrandRegistrationInput:
    registration_id: strawberry.ID = strawberry.field(description="Global ID of a pending brand registration.")
    reason: str = strawberry.field(description="Why, in words the applicant will read: 1-1000 characters.")


@strawberry.input(description="A category's commission rate, or none so that it inherits its parent's again.")
class SetCommissionRateInput:
    category_id: strawberry.ID = strawberry.field(description="Global ID of a live category.")
    rate_percent: Decimal | None = strawberry.field(default=strawberry.UNSET, description="The rate in percent: 6 to 20 with at most two decimals (e.g. \"8.5\"). Null removes the category's own rate: it takes its nearest ancestor's again, else the platform default (15%); omitted leaves the rate as it is. Applies to sales recorded from now on.")


@strawberry.input(description="Money to pay out of a seller's balance to the seller.")
class PayoutSellerInput:
    seller_id: strawberry.ID = strawberry.field(description="Global ID of the seller.")
    amount: MoneyInput = strawberry.field(description="USD, above zero, at most two decimals, and not more than the seller's balance.")
